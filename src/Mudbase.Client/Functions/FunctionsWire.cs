using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase.Data;
using Mudbase.Serialization;

namespace Mudbase.Functions;

// The shapes on the wire (CONTRACT.md, Functions), read leniently: unknown fields are ignored, every field but the ids
// may be missing, and text fields whose type the server has not pinned down keep any other JSON as its raw text.

/// <summary>The list: <c>{success, data:{functions:[Fn], pagination}}</c>.</summary>
internal sealed class FunctionListAnswer : IJsonOnDeserialized
{
    public FunctionListData? Data { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data?.Functions is null)
        {
            throw new JsonException("The list answer has no 'data.functions' array.");
        }
    }
}

internal sealed class FunctionListData
{
    public List<FunctionWire?>? Functions { get; set; }

    public PaginationWire? Pagination { get; set; }
}

/// <summary>One function: <c>{success, data:Fn}</c>.</summary>
internal sealed class FunctionAnswer : IJsonOnDeserialized
{
    public FunctionWire? Data { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is null)
        {
            throw new JsonException("The answer has no 'data' function.");
        }
    }
}

/// <summary><c>{_id, name, description, projectId, trigger:{type, …}, stats, isActive, createdAt, updatedAt}</c>.</summary>
internal sealed class FunctionWire : IJsonOnDeserialized
{
    [JsonPropertyName("_id")]
    public string? MongoId { get; set; }

    public string? Id { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Name { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Description { get; set; }

    /// <summary>The project's id, or the project itself when the server populated it.</summary>
    public JsonNode? ProjectId { get; set; }

    public JsonNode? Project { get; set; }

    public JsonNode? Trigger { get; set; }

    public StatsWire? Stats { get; set; }

    public bool? IsActive { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreatedAt { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? UpdatedAt { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (MongoId is null && Id is null)
        {
            throw new JsonException("A function has no '_id' or 'id'.");
        }
    }
}

/// <summary>Both spellings the spec shows: <c>totalExecutions, successfulExecutions, failedExecutions, lastExecution</c> and <c>successful, failed, lastRun</c>.</summary>
internal sealed class StatsWire
{
    public double? TotalExecutions { get; set; }

    public double? SuccessfulExecutions { get; set; }

    public double? Successful { get; set; }

    public double? FailedExecutions { get; set; }

    public double? Failed { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? LastExecution { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? LastRun { get; set; }
}

/// <summary>
/// The execute and getExecution answer, <c>{success, data}</c>, where <c>data</c> is a run
/// (<c>{executionId, status, durationMs, result, error, errorClass, logs, createdAt, startedAt, completedAt}</c>; the 202
/// has only the first two) or, from an older server that ran the function before answering (200),
/// <c>{success, result, error, executionTime}</c>.
/// </summary>
internal sealed class ExecutionAnswer : IJsonOnDeserialized
{
    public ExecutionWire? Data { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is null)
        {
            throw new JsonException("The answer has no 'data' object.");
        }

        if (Data.ExecutionId is null && Data.Success is null)
        {
            throw new JsonException("The answer's 'data' is no run: it has neither an 'executionId' nor a 'success'.");
        }
    }
}

internal sealed class ExecutionWire
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExecutionId { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Status { get; set; }

    public double? DurationMs { get; set; }

    public JsonElement? Result { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Error { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorClass { get; set; }

    public LogsWire? Logs { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreatedAt { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? StartedAt { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CompletedAt { get; set; }

    /// <summary>The synchronous answer's outcome.</summary>
    public bool? Success { get; set; }

    /// <summary>The synchronous answer's duration, in milliseconds.</summary>
    public double? ExecutionTime { get; set; }
}

internal sealed class LogsWire
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Stdout { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Stderr { get; set; }

    public bool? Truncated { get; set; }
}

/// <summary>The execute body: <c>{payload?}</c> (an absent payload is left out).</summary>
internal sealed class ExecuteBody
{
    public JsonNode? Payload { get; init; }
}

/// <summary>From the wire models to the public types.</summary>
internal static class FunctionsWire
{
    public static FunctionPage ToPage(FunctionListAnswer answer, (string ProjectId, int Page, int Limit) request)
    {
        var data = answer.Data!;
        var items = data.Functions!.OfType<FunctionWire>().Select(function => ToFunction(function, request.ProjectId)).ToArray();
        var facts = PaginationWire.Resolve(data.Pagination, request.Page, request.Limit, items.Length);
        return new FunctionPage(items, facts.Page, facts.Limit, facts.Total, facts.TotalPages, facts.HasMore);
    }

    public static MudbaseFunction ToFunction(FunctionAnswer answer, string projectId) => ToFunction(answer.Data!, projectId);

    /// <summary>A run; <paramref name="call"/> is what the call was for (the answer does not repeat the function or project).</summary>
    public static FunctionExecution ToExecution(ExecutionAnswer answer, (string FunctionId, string? ProjectId) call)
    {
        var data = answer.Data!;
        if (data.ExecutionId is null)
        {
            // The older synchronous answer: the run has already ended.
            var succeeded = data.Success == true;
            return new FunctionExecution(
                call.FunctionId, executionId: null, succeeded ? FunctionExecutionStatus.Succeeded : FunctionExecutionStatus.Failed, call.ProjectId,
                succeeded ? data.Result : null, data.Error ?? (succeeded ? null : "The function failed."), data.ErrorClass, ToLogs(data.Logs),
                Milliseconds(data.ExecutionTime ?? data.DurationMs));
        }

        return new FunctionExecution(
            call.FunctionId, data.ExecutionId, ToStatus(data.Status), call.ProjectId, data.Result is { ValueKind: not JsonValueKind.Null } result ? result : null,
            data.Error, data.ErrorClass, ToLogs(data.Logs), Milliseconds(data.DurationMs), WireValues.ToTime(data.CreatedAt), WireValues.ToTime(data.StartedAt), WireValues.ToTime(data.CompletedAt));
    }

    public static FunctionExecutionStatus ToStatus(string? status) => status?.ToLowerInvariant() switch
    {
        "queued" or "pending" => FunctionExecutionStatus.Queued,
        "provisioning" => FunctionExecutionStatus.Provisioning,
        "running" => FunctionExecutionStatus.Running,
        "success" or "succeeded" or "completed" => FunctionExecutionStatus.Succeeded,
        "failed" or "error" => FunctionExecutionStatus.Failed,
        "timeout" or "timed_out" or "timedout" => FunctionExecutionStatus.TimedOut,
        _ => FunctionExecutionStatus.Unknown,
    };

    private static MudbaseFunction ToFunction(FunctionWire wire, string projectId)
    {
        var trigger = wire.Trigger as JsonObject;
        return new MudbaseFunction(
            wire.MongoId ?? wire.Id ?? "",
            wire.Name ?? "",
            WireValues.IdOf(wire.ProjectId) ?? WireValues.IdOf(wire.Project) ?? projectId,
            wire.IsActive ?? true,
            wire.Description,
            trigger?["type"] is JsonValue type && type.TryGetValue<string>(out var text) ? text : null,
            trigger,
            wire.Stats is { } stats
                ? new FunctionStats(Count(stats.TotalExecutions), Count(stats.SuccessfulExecutions ?? stats.Successful), Count(stats.FailedExecutions ?? stats.Failed), WireValues.ToTime(stats.LastExecution ?? stats.LastRun))
                : null,
            WireValues.ToTime(wire.CreatedAt),
            WireValues.ToTime(wire.UpdatedAt));
    }

    private static FunctionLogs? ToLogs(LogsWire? logs) =>
        logs is null ? null : new FunctionLogs(logs.Stdout ?? "", logs.Stderr ?? "", logs.Truncated ?? false);

    private static TimeSpan? Milliseconds(double? value) =>
        value is { } ms && ms >= 0 && ms < TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.FromTicks((long)(ms * TimeSpan.TicksPerMillisecond)) : null;

    private static long? Count(double? value) => value is { } n && n >= 0 && n < long.MaxValue ? (long)n : null;

}
