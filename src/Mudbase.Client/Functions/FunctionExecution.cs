using System.Text.Json;

namespace Mudbase.Functions;

/// <summary>Where a function run stands, as the server reports it.</summary>
public enum FunctionExecutionStatus
{
    /// <summary>The server sent a status this SDK does not know; see <see cref="FunctionExecution.IsCompleted"/>.</summary>
    Unknown = 0,

    /// <summary>Accepted and waiting to run (<c>queued</c>).</summary>
    Queued,

    /// <summary>A machine is being made ready for it (<c>provisioning</c>).</summary>
    Provisioning,

    /// <summary>Running (<c>running</c>).</summary>
    Running,

    /// <summary>Ended with a result (<c>success</c>).</summary>
    Succeeded,

    /// <summary>Ended with an error (<c>failed</c>): see <see cref="FunctionExecution.Error"/> and <see cref="FunctionExecution.Logs"/>.</summary>
    Failed,

    /// <summary>Stopped by the server because it ran past the function's time limit (<c>timeout</c>).</summary>
    TimedOut,
}

/// <summary>
/// One run of a function: started by <see cref="IMudbaseFunctions.StartAsync"/>, read again by
/// <see cref="IMudbaseFunctions.GetExecutionAsync"/>, awaited by <see cref="IMudbaseFunctions.WaitAsync"/>. A snapshot:
/// it does not change when the run goes on; read it again for news.
/// </summary>
/// <remarks>
/// Keep <see cref="FunctionId"/> and <see cref="ExecutionId"/> to pick the run up later (after a restart, say):
/// <c>GetExecutionAsync(functionId, executionId)</c>, then <c>WaitAsync</c>. <see cref="Result"/>, <see cref="Error"/>,
/// <see cref="Logs"/> and <see cref="Duration"/> are filled only once the run has ended.
/// </remarks>
public sealed class FunctionExecution
{
    /// <summary>Creates an execution, for tests and fakes of <see cref="IMudbaseFunctions"/>; the SDK makes them from the server's answers.</summary>
    /// <param name="functionId">The function's id.</param>
    /// <param name="executionId">The run's id (a UUID); null for a run an older server finished before answering.</param>
    /// <param name="status">Where the run stands.</param>
    /// <param name="projectId">The project the function belongs to; null for <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="result">What the function returned, once it has succeeded.</param>
    /// <param name="error">Its error message, once it has failed or timed out.</param>
    /// <param name="errorClass">The kind of error (such as <c>TypeError</c>), when the server says.</param>
    /// <param name="logs">What it wrote, once it has ended.</param>
    /// <param name="duration">How long it ran, once it has ended.</param>
    /// <param name="createdAt">When it was accepted.</param>
    /// <param name="startedAt">When it started running.</param>
    /// <param name="completedAt">When it ended.</param>
    public FunctionExecution(
        string functionId, string? executionId, FunctionExecutionStatus status, string? projectId = null, JsonElement? result = null,
        string? error = null, string? errorClass = null, FunctionLogs? logs = null, TimeSpan? duration = null,
        DateTimeOffset? createdAt = null, DateTimeOffset? startedAt = null, DateTimeOffset? completedAt = null)
    {
        ArgumentNullException.ThrowIfNull(functionId);
        FunctionId = functionId;
        ExecutionId = executionId;
        Status = status;
        ProjectId = projectId;
        Result = result;
        Error = error;
        ErrorClass = errorClass;
        Logs = logs;
        Duration = duration;
        CreatedAt = createdAt;
        StartedAt = startedAt;
        CompletedAt = completedAt;
    }

    /// <summary>The run's id, a UUID: with <see cref="FunctionId"/>, what picks the run up again. Null only for a run an older server finished before answering (it is then completed).</summary>
    public string? ExecutionId { get; }

    /// <summary>The function's id.</summary>
    public string FunctionId { get; }

    /// <summary>The project the function belongs to; null when it is <see cref="MudbaseClientOptions.ProjectId"/>.</summary>
    public string? ProjectId { get; }

    /// <summary>Where the run stands.</summary>
    public FunctionExecutionStatus Status { get; }

    /// <summary>
    /// True once the run has ended: <see cref="FunctionExecutionStatus.Succeeded"/>, <see cref="FunctionExecutionStatus.Failed"/>
    /// or <see cref="FunctionExecutionStatus.TimedOut"/>, or a status this SDK does not know with <see cref="CompletedAt"/> set.
    /// </summary>
    public bool IsCompleted =>
        Status is FunctionExecutionStatus.Succeeded or FunctionExecutionStatus.Failed or FunctionExecutionStatus.TimedOut
        || (Status == FunctionExecutionStatus.Unknown && CompletedAt is not null);

    /// <summary>What the function returned (any JSON value), once it has succeeded; null before, on failure, or when it returned nothing.</summary>
    public JsonElement? Result { get; }

    /// <summary>The run's error message, once it has failed or timed out.</summary>
    public string? Error { get; }

    /// <summary>The kind of error (such as <c>TypeError</c> or <c>TimeoutError</c>), when the server says.</summary>
    public string? ErrorClass { get; }

    /// <summary>What the run wrote to its standard output and error, once it has ended; null when the server sent none.</summary>
    public FunctionLogs? Logs { get; }

    /// <summary>How long the run took, once it has ended.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>When the server accepted the run.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>When the run ended.</summary>
    public DateTimeOffset? CompletedAt { get; }

    /// <inheritdoc />
    /// <remarks>The result, error and logs are left out: they are the function's own data.</remarks>
    public override string ToString() => $"FunctionExecution {{ FunctionId = {FunctionId}, ExecutionId = {ExecutionId}, Status = {Status}, Duration = {Duration} }}";
}

/// <summary>What a run wrote while it ran.</summary>
public sealed class FunctionLogs
{
    /// <summary>Creates logs, for tests and fakes.</summary>
    /// <param name="stdout">The standard output.</param>
    /// <param name="stderr">The standard error.</param>
    /// <param name="truncated">Whether the server cut them.</param>
    public FunctionLogs(string stdout, string stderr, bool truncated = false)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        Stdout = stdout;
        Stderr = stderr;
        Truncated = truncated;
    }

    /// <summary>The run's standard output (empty when it wrote none).</summary>
    public string Stdout { get; }

    /// <summary>The run's standard error (empty when it wrote none).</summary>
    public string Stderr { get; }

    /// <summary>True when the server kept only part of what was written.</summary>
    public bool Truncated { get; }

    /// <inheritdoc />
    public override string ToString() => $"FunctionLogs {{ Stdout = {Stdout.Length} chars, Stderr = {Stderr.Length} chars, Truncated = {Truncated} }}";
}
