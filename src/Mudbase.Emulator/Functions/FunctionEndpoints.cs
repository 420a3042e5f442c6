using System.Globalization;
using System.Text;
using System.Text.Json;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Functions;

/// <summary>
/// <c>/api/functions/projects/{projectId}/functions</c>: list, get, execute (202 and a run id, the run going on in the
/// background) and getExecution, as CONTRACT.md's Functions section gives them. Every route needs a credential (a
/// project user's token or the API key). Answers are <c>{success, data}</c>.
/// </summary>
internal sealed class FunctionEndpoints(EmulatorStore store, FunctionsState functions, DataAuthenticator authenticator)
{
    public const string BasePath = "/api/functions/projects/{projectId}/functions";

    /// <summary>An execute request, which the hosted service also counts as a data write.</summary>
    public static bool IsExecute(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.Path.StartsWithSegments("/api/functions", StringComparison.OrdinalIgnoreCase)
        && request.Path.Value?.TrimEnd('/').EndsWith("/execute", StringComparison.OrdinalIgnoreCase) == true;

    public static void Map(IEndpointRouteBuilder routes, EmulatorStore store, FunctionsState functions, BearerAuthenticator bearer)
    {
        var endpoints = new FunctionEndpoints(store, functions, new DataAuthenticator(bearer));
        var group = routes.MapGroup(BasePath);
        group.MapGet("", endpoints.List);
        group.MapGet("/{functionId}", endpoints.Get);
        group.MapPost("/{functionId}/execute", endpoints.ExecuteAsync);
        group.MapGet("/{functionId}/executions/{executionId}", endpoints.GetExecution);
    }

    public IResult List(HttpRequest request, string projectId)
    {
        if (!TryBegin(request, projectId, out var project, out var error))
        {
            return error;
        }

        var query = request.Query;
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) && l >= 1 ? Math.Min(l, 100) : 20;
        var search = query["search"].ToString();
        var triggerType = query["triggerType"].ToString();
        bool? isActive = bool.TryParse(query["isActive"], out var active) ? active : null;
        var matches = functions.List(project.Id)
            .Where(entry => search.Length == 0
                || entry.Function.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                || entry.Function.Description?.Contains(search, StringComparison.OrdinalIgnoreCase) == true)
            .Where(entry => triggerType.Length == 0 || string.Equals(triggerType, "http", StringComparison.OrdinalIgnoreCase))
            .Where(entry => isActive is null || entry.Function.IsActive == isActive)
            .ToList();
        var totalPages = (matches.Count + limit - 1) / limit;
        return Success(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("functions");
            foreach (var (function, runs) in matches.Skip((page - 1) * limit).Take(limit))
            {
                WriteFunction(writer, function, runs);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("pagination");
            writer.WriteNumber("page", page);
            writer.WriteNumber("limit", limit);
            writer.WriteNumber("total", matches.Count);
            writer.WriteNumber("totalPages", totalPages);
            writer.WriteBoolean("hasMore", page < totalPages);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    public IResult Get(HttpRequest request, string projectId, string functionId)
    {
        if (!TryBegin(request, projectId, out var project, out var error))
        {
            return error;
        }

        return functions.Find(project.Id, functionId) is { } function
            ? Success(StatusCodes.Status200OK, writer => WriteFunction(writer, function, functions.RunsOf(function.Id)))
            : FunctionNotFound();
    }

    public async Task<IResult> ExecuteAsync(HttpRequest request, string projectId, string functionId)
    {
        if (!TryBegin(request, projectId, out var project, out var error))
        {
            return error;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        JsonElement? payload = body.TryGetProperty("payload", out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        if (payload is { ValueKind: not JsonValueKind.Object })
        {
            return ErrorResults.BadRequest("payload must be an object");
        }

        var outcome = functions.Start(project.Id, functionId, payload, payload is { } given ? Encoding.UTF8.GetByteCount(given.GetRawText()) : 0);
        return outcome.Status switch
        {
            StartStatus.Started => Success(StatusCodes.Status202Accepted, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("executionId", outcome.Run!.ExecutionId);
                writer.WriteString("status", outcome.Run.Status);
                writer.WriteEndObject();
            }),
            StartStatus.PayloadTooLarge => ErrorResults.Status(StatusCodes.Status400BadRequest, new ErrorBody("Payload too large")
            {
                Code = "VALIDATION_ERROR",
                Message = $"The payload is larger than the function's limit of {outcome.Limit} bytes.",
            }),
            StartStatus.RateLimited => RateLimited(request.HttpContext.Response, outcome),
            _ => FunctionNotFound(),
        };
    }

    public IResult GetExecution(HttpRequest request, string projectId, string functionId, string executionId)
    {
        if (!TryBegin(request, projectId, out var project, out var error))
        {
            return error;
        }

        return functions.FindRun(project.Id, functionId, executionId) is { } run
            ? Success(StatusCodes.Status200OK, writer => WriteRun(writer, run))
            : ErrorResults.NotFound("Execution not found");
    }

    /// <summary>The project (400, 404), then a credential: the API key or a project user's token; none is 401.</summary>
    private bool TryBegin(HttpRequest request, string projectId, out Project project, out IResult error)
    {
        project = null!;
        if (!ProjectLookup.TryFind(store, projectId, out var found, out var lookupError))
        {
            error = lookupError;
            return false;
        }

        if (!authenticator.TryAuthenticate(request, found, out var caller, out var authError))
        {
            error = authError;
            return false;
        }

        project = found;
        error = caller is DataCaller.Nobody ? ErrorResults.Unauthorized("Authentication required") : null!;
        return caller is not DataCaller.Nobody;
    }

    private static IResult FunctionNotFound() => ErrorResults.NotFound("Function not found");

    /// <summary>The spec's 429: <c>{error, code:"RATE_LIMITED", details, retryAfter}</c>, with <c>retry-after</c>.</summary>
    private static IResult RateLimited(HttpResponse response, StartOutcome outcome)
    {
        response.Headers["retry-after"] = outcome.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return JsonAnswer.Write(StatusCodes.Status429TooManyRequests, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", "Rate limit exceeded");
            writer.WriteString("code", "RATE_LIMITED");
            writer.WriteString("details", $"This function may run {outcome.Limit} times per minute.");
            writer.WriteNumber("retryAfter", outcome.RetryAfterSeconds);
            writer.WriteEndObject();
        });
    }

    private static IResult Success(int statusCode, Action<Utf8JsonWriter> writeData) => JsonAnswer.Write(statusCode, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("success", true);
        writer.WritePropertyName("data");
        writeData(writer);
        writer.WriteEndObject();
    });

    private static void WriteFunction(Utf8JsonWriter writer, EmulatorFunction function, IReadOnlyList<FunctionRun> runs)
    {
        writer.WriteStartObject();
        writer.WriteString("_id", function.Id);
        writer.WriteString("name", function.Name);
        writer.WriteString("description", function.Description);
        writer.WriteString("projectId", function.ProjectId);
        writer.WriteStartObject("trigger");
        writer.WriteString("type", "http");
        writer.WriteEndObject();
        var ended = runs.Where(run => run.IsTerminal).ToList();
        writer.WriteStartObject("stats");
        writer.WriteNumber("totalExecutions", runs.Count);
        writer.WriteNumber("successfulExecutions", ended.Count(run => run.Status == FunctionRun.Success));
        writer.WriteNumber("failedExecutions", ended.Count(run => run.Status != FunctionRun.Success));
        writer.WriteNumber("avgExecutionTime", ended.Count == 0 ? 0 : Math.Round(ended.Average(run => run.DurationMs ?? 0)));
        if (runs.Count > 0)
        {
            writer.WriteString("lastExecution", JsonAnswer.Timestamp(runs[^1].CreatedAt));
        }
        else
        {
            writer.WriteNull("lastExecution");
        }

        writer.WriteEndObject();
        writer.WriteBoolean("isActive", function.IsActive);
        writer.WriteString("createdAt", JsonAnswer.Timestamp(function.CreatedAt));
        writer.WriteString("updatedAt", JsonAnswer.Timestamp(function.CreatedAt));
        writer.WriteEndObject();
    }

    /// <summary>A run: its outputs are null until it has ended, as on the hosted service.</summary>
    private static void WriteRun(Utf8JsonWriter writer, FunctionRun run)
    {
        writer.WriteStartObject();
        writer.WriteString("executionId", run.ExecutionId);
        writer.WriteString("status", run.Status);
        WriteNumberOrNull(writer, "durationMs", run.DurationMs);
        writer.WritePropertyName("result");
        if (run.Result is { } result)
        {
            result.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteString("error", run.Error);
        writer.WriteString("errorClass", run.ErrorClass);
        if (run.Logs is { } logs)
        {
            writer.WriteStartObject("logs");
            writer.WriteString("stdout", logs.Stdout);
            writer.WriteString("stderr", logs.Stderr);
            writer.WriteBoolean("truncated", logs.Truncated);
            writer.WriteNumber("bytes", logs.Bytes);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("logs");
        }

        writer.WriteString("createdAt", JsonAnswer.Timestamp(run.CreatedAt));
        WriteTimeOrNull(writer, "startedAt", run.StartedAt);
        WriteTimeOrNull(writer, "completedAt", run.CompletedAt);
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTimeOrNull(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, JsonAnswer.Timestamp(time));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
