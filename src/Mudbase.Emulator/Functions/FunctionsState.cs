using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Functions;

/// <summary>A function: a .NET delegate in place of user code, with the settings it was made with.</summary>
internal sealed record EmulatorFunction(
    string Id,
    string ProjectId,
    string Name,
    Func<EmulatorFunctionContext, CancellationToken, Task<JsonNode?>> Handler,
    string? Description,
    TimeSpan QueueDelay,
    TimeSpan Delay,
    TimeSpan Timeout,
    bool IsActive,
    int? MaxExecutionsPerMinute,
    int MaxPayloadBytes,
    DateTimeOffset CreatedAt);

/// <summary>A run as it stands: replaced whole at each step, so a snapshot read under the lock stays valid.</summary>
internal sealed record FunctionRun(string ExecutionId, string FunctionId, string Status, DateTimeOffset CreatedAt)
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Success = "success";
    public const string Failed = "failed";
    public const string Timeout = "timeout";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public double? DurationMs { get; init; }

    public JsonElement? Result { get; init; }

    public string? Error { get; init; }

    public string? ErrorClass { get; init; }

    public (string Stdout, string Stderr, bool Truncated, long Bytes)? Logs { get; init; }

    public bool IsTerminal => Status is Success or Failed or Timeout;
}

/// <summary>How a start ended: the run, or why there is none.</summary>
internal enum StartStatus
{
    Started,
    NotFound,
    PayloadTooLarge,
    RateLimited,
}

internal readonly record struct StartOutcome(StartStatus Status, FunctionRun? Run = null, int Limit = 0, long RetryAfterSeconds = 0);

/// <summary>
/// The functions area's state: every project's functions and their runs, under the emulator's one lock
/// (<see cref="EmulatorStore.Gate"/>). A run goes on in the background after the 202: queued, running (the handler
/// called), then success, failed (the handler threw) or timeout (it ran past the function's limit).
/// </summary>
internal sealed class FunctionsState(EmulatorStore store, TimeProvider timeProvider, ObjectIdGenerator ids) : IDisposable
{
    private readonly Lock _gate = store.Gate;
    private readonly Dictionary<string, EmulatorFunction> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FunctionRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recentStarts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public EmulatorFunction Add(string projectId, string name, Func<EmulatorFunctionContext, CancellationToken, Task<JsonNode?>> handler, EmulatorFunctionOptions options)
    {
        var function = new EmulatorFunction(
            ids.Next(), projectId, name, handler, options.Description, options.QueueDelay, options.Delay, options.Timeout, options.IsActive,
            options.MaxExecutionsPerMinute, options.MaxPayloadBytes, timeProvider.GetUtcNow());
        lock (_gate)
        {
            _functions.Add(function.Id, function);
        }

        return function;
    }

    /// <summary>The project's function with this id, active or not.</summary>
    public EmulatorFunction? Find(string projectId, string functionId)
    {
        lock (_gate)
        {
            return FindLocked(projectId, functionId);
        }
    }

    public IReadOnlyList<(EmulatorFunction Function, IReadOnlyList<FunctionRun> Runs)> List(string projectId)
    {
        lock (_gate)
        {
            return _functions.Values.Where(function => function.ProjectId == projectId).OrderBy(function => function.CreatedAt).ThenBy(function => function.Id, StringComparer.Ordinal)
                .Select(function => (function, (IReadOnlyList<FunctionRun>)RunsOfLocked(function.Id))).ToList();
        }
    }

    public IReadOnlyList<FunctionRun> RunsOf(string functionId)
    {
        lock (_gate)
        {
            return RunsOfLocked(functionId);
        }
    }

    public FunctionRun? FindRun(string projectId, string functionId, string executionId)
    {
        lock (_gate)
        {
            return FindLocked(projectId, functionId) is not null && _runs.GetValueOrDefault(executionId.ToLowerInvariant()) is { } run && string.Equals(run.FunctionId, functionId, StringComparison.OrdinalIgnoreCase)
                ? run
                : null;
        }
    }

    /// <summary>Checks the function, the payload's size and the function's runs per minute, then queues a run and starts it in the background.</summary>
    public StartOutcome Start(string projectId, string functionId, JsonElement? payload, int payloadBytes)
    {
        EmulatorFunction function;
        FunctionRun run;
        lock (_gate)
        {
            if (FindLocked(projectId, functionId) is not { IsActive: true } found)
            {
                return new StartOutcome(StartStatus.NotFound);
            }

            function = found;
            if (payloadBytes > function.MaxPayloadBytes)
            {
                return new StartOutcome(StartStatus.PayloadTooLarge, Limit: function.MaxPayloadBytes);
            }

            var now = timeProvider.GetUtcNow();
            if (function.MaxExecutionsPerMinute is { } perMinute)
            {
                var starts = _recentStarts.TryGetValue(function.Id, out var queue) ? queue : _recentStarts[function.Id] = new Queue<DateTimeOffset>();
                while (starts.TryPeek(out var oldest) && now - oldest >= TimeSpan.FromMinutes(1))
                {
                    starts.Dequeue();
                }

                if (starts.Count >= perMinute)
                {
                    var wait = starts.Peek() + TimeSpan.FromMinutes(1) - now;
                    return new StartOutcome(StartStatus.RateLimited, Limit: perMinute, RetryAfterSeconds: Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)));
                }

                starts.Enqueue(now);
            }

            run = new FunctionRun(Guid.NewGuid().ToString(), function.Id, FunctionRun.Queued, now);
            _runs.Add(run.ExecutionId, run);
        }

        var context = new EmulatorFunctionContext(function.ProjectId, function.Id, run.ExecutionId, payload is { } value ? JsonNode.Parse(value.GetRawText()) : null);
        _ = Task.Run(() => RunAsync(function, context));
        return new StartOutcome(StartStatus.Started, run);
    }

    /// <summary>Stops the runs still going (their handlers' tokens are cancelled); they are left as they stand.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private EmulatorFunction? FindLocked(string projectId, string functionId) =>
        _functions.GetValueOrDefault(functionId.ToLowerInvariant()) is { } function && function.ProjectId == projectId ? function : null;

    private List<FunctionRun> RunsOfLocked(string functionId) =>
        _runs.Values.Where(run => run.FunctionId == functionId).OrderBy(run => run.CreatedAt).ToList();

    private async Task RunAsync(EmulatorFunction function, EmulatorFunctionContext context)
    {
        try
        {
            var stopping = _stopping.Token;
            if (function.QueueDelay > TimeSpan.Zero)
            {
                await Task.Delay(function.QueueDelay, timeProvider, stopping).ConfigureAwait(false);
            }

            var started = timeProvider.GetTimestamp();
            Update(context.ExecutionId, run => run with { Status = FunctionRun.Running, StartedAt = timeProvider.GetUtcNow() });
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var work = CallAsync(function, context, limit.Token);
            var timer = Task.Delay(function.Timeout, timeProvider, stopping);
            if (await Task.WhenAny(work, timer).ConfigureAwait(false) != work)
            {
                stopping.ThrowIfCancellationRequested();
                await limit.CancelAsync().ConfigureAwait(false);
                Finish(context, started, FunctionRun.Timeout, null,
                    $"Function execution timed out after {(long)function.Timeout.TotalMilliseconds}ms", "TimeoutError");
                return;
            }

            try
            {
                var result = await work.ConfigureAwait(false);
                Finish(context, started, FunctionRun.Success, ToElement(result), null, null);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // What a thrown error looks like from a hosted run: its message as the error, its type as the class, on stderr too.
                context.LogError($"{ex.GetType().Name}: {ex.Message}");
                Finish(context, started, FunctionRun.Failed, null, ex.Message, ex.GetType().Name);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The emulator is stopping.
        }
        catch (ObjectDisposedException)
        {
            // The emulator has stopped.
        }
    }

    /// <summary>The delay, then the handler: both count against the function's time limit.</summary>
    private async Task<JsonNode?> CallAsync(EmulatorFunction function, EmulatorFunctionContext context, CancellationToken cancellationToken)
    {
        if (function.Delay > TimeSpan.Zero)
        {
            await Task.Delay(function.Delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return await function.Handler(context, cancellationToken).ConfigureAwait(false);
    }

    private void Finish(EmulatorFunctionContext context, long started, string status, JsonElement? result, string? error, string? errorClass)
    {
        var duration = timeProvider.GetElapsedTime(started).TotalMilliseconds;
        var logs = context.GetLogs();
        Update(context.ExecutionId, run => run with
        {
            Status = status,
            CompletedAt = timeProvider.GetUtcNow(),
            DurationMs = Math.Round(duration),
            Result = result,
            Error = error,
            ErrorClass = errorClass,
            Logs = logs,
        });
    }

    private void Update(string executionId, Func<FunctionRun, FunctionRun> change)
    {
        lock (_gate)
        {
            _runs[executionId] = change(_runs[executionId]);
        }
    }

    private static JsonElement? ToElement(JsonNode? node) =>
        node is null ? null : JsonAnswer.ToElement(writer => node.WriteTo(writer));
}
