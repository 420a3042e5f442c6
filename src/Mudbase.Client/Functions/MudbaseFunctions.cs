using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Internal;

namespace Mudbase.Functions;

/// <summary>The facade of the function calls: argument checks, the project from the options, the wait loop, mapping. No HTTP here.</summary>
internal sealed class MudbaseFunctions : IMudbaseFunctions
{
    private static readonly FunctionWaitOptions DefaultWait = new();

    /// <summary>Far above any sensible wait between polls, and within what a timer takes.</summary>
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    private readonly IFunctionsApi _api;
    private readonly MudbaseClientOptions _options;
    private readonly SessionManager _sessions;
    private readonly TimeProvider _timeProvider;

    public MudbaseFunctions(IFunctionsApi api, MudbaseClientOptions options, SessionManager sessions, TimeProvider timeProvider)
    {
        _api = api;
        _options = options;
        _sessions = sessions;
        _timeProvider = timeProvider;
    }

    public Task<FunctionPage> ListAsync(FunctionListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FunctionListOptions();
        if (options.Page < 1)
        {
            throw new ArgumentOutOfRangeException("options.Page", options.Page, "options.Page must be 1 or more.");
        }

        if (options.Limit is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException("options.Limit", options.Limit, "options.Limit must be from 1 to 100.");
        }

        Guard.NullOrNotBlank(options.Search, "options.Search");
        Guard.NullOrNotBlank(options.TriggerType, "options.TriggerType");
        var project = Guard.ProjectId(options.ProjectId, _options.ProjectId, "options.ProjectId");
        var query = (project, options.Page, options.Limit, options.Search, options.TriggerType, IsActive: options.IsActive is { } active ? (active ? "true" : "false") : null);
        return Operation.RunAsync("mudbase.functions.list", this, query, static async (f, q, ct) =>
            FunctionsWire.ToPage(
                await f._api.ListAsync(q.project, q.Page, q.Limit, q.Search, q.TriggerType, q.IsActive, f._sessions, ct).ConfigureAwait(false),
                (q.project, q.Page, q.Limit)), cancellationToken);
    }

    public Task<MudbaseFunction> GetAsync(string functionId, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(functionId, nameof(functionId));
        var project = Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.functions.get", this, (project, functionId), static async (f, arg, ct) =>
            FunctionsWire.ToFunction(await f._api.GetAsync(arg.project, arg.functionId, f._sessions, ct).ConfigureAwait(false), arg.project), cancellationToken);
    }

    public Task<FunctionExecution> StartAsync(string functionId, JsonNode? payload = null, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(functionId, nameof(functionId));
        var project = Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.functions.start", this, (project, functionId, payload, projectId), static (f, arg, ct) =>
            f.StartCoreAsync(arg.project, arg.functionId, arg.payload, arg.projectId, ct), cancellationToken);
    }

    public Task<FunctionExecution> GetExecutionAsync(string functionId, string executionId, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(functionId, nameof(functionId));
        Guard.NotBlank(executionId, nameof(executionId));
        var project = Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.functions.get_execution", this, (project, functionId, executionId, projectId), static (f, arg, ct) =>
            f.PollAsync(arg.project, arg.functionId, arg.executionId, arg.projectId, ct), cancellationToken);
    }

    public Task<FunctionExecution> WaitAsync(FunctionExecution execution, FunctionWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var wait = CheckWait(options);
        if (execution.IsCompleted)
        {
            return cancellationToken.IsCancellationRequested ? Task.FromCanceled<FunctionExecution>(cancellationToken) : Task.FromResult(execution);
        }

        Guard.NotBlank(execution.ExecutionId, "execution.ExecutionId");
        Guard.NotBlank(execution.FunctionId, "execution.FunctionId");
        // The project the run was started in; null when that was the options' (or the caller made the execution up).
        var project = Guard.ProjectId(execution.ProjectId, _options.ProjectId, "execution.ProjectId");
        return Operation.RunAsync("mudbase.functions.wait", this, (execution, wait, project), static (f, arg, ct) =>
            f.WaitCoreAsync(arg.execution, arg.wait, arg.project, ct), cancellationToken);
    }

    public Task<FunctionExecution> InvokeAsync(string functionId, JsonNode? payload = null, FunctionWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(functionId, nameof(functionId));
        var wait = CheckWait(options);
        var project = OptionsProject();
        return Operation.RunAsync("mudbase.functions.invoke", this, (project, functionId, payload, wait), static (f, arg, ct) =>
            f.InvokeCoreAsync(arg.project, arg.functionId, arg.payload, arg.wait, ct), cancellationToken);
    }

    public Task<TResult> InvokeAsync<TResult>(
        string functionId, JsonNode? payload, JsonTypeInfo<TResult> resultType, FunctionWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(functionId, nameof(functionId));
        ArgumentNullException.ThrowIfNull(resultType);
        var wait = CheckWait(options);
        var project = OptionsProject();
        return Operation.RunAsync("mudbase.functions.invoke", this, (project, functionId, payload, wait, resultType), static async (f, arg, ct) =>
            ReadResult(await f.InvokeCoreAsync(arg.project, arg.functionId, arg.payload, arg.wait, ct).ConfigureAwait(false), arg.resultType), cancellationToken);
    }

    private async Task<FunctionExecution> StartCoreAsync(string project, string functionId, JsonNode? payload, string? projectId, CancellationToken cancellationToken) =>
        FunctionsWire.ToExecution(
            await _api.ExecuteAsync(project, functionId, new ExecuteBody { Payload = payload }, _sessions, cancellationToken).ConfigureAwait(false),
            (functionId, projectId));

    /// <summary>One read of a run. A GET: the retry handler re-sends it on failures that may be retried, as any read.</summary>
    private async Task<FunctionExecution> PollAsync(string project, string functionId, string executionId, string? projectId, CancellationToken cancellationToken) =>
        FunctionsWire.ToExecution(
            await _api.GetExecutionAsync(project, functionId, executionId, _sessions, cancellationToken).ConfigureAwait(false),
            (functionId, projectId));

    private async Task<FunctionExecution> InvokeCoreAsync(string project, string functionId, JsonNode? payload, FunctionWaitOptions wait, CancellationToken cancellationToken)
    {
        var started = await StartCoreAsync(project, functionId, payload, projectId: null, cancellationToken).ConfigureAwait(false);
        var ended = await WaitCoreAsync(started, wait, project, cancellationToken).ConfigureAwait(false);
        return ended.Status == FunctionExecutionStatus.Succeeded
            ? ended
            : throw new MudbaseFunctionException(DescribeFailure(ended), ended);
    }

    /// <summary>
    /// Polls until the run ends or the wait's timeout passes: each wait on the client's clock (so tests do not sleep),
    /// twice the one before up to the maximum, the last one cut to end at the timeout, where one last poll is made.
    /// </summary>
    private async Task<FunctionExecution> WaitCoreAsync(FunctionExecution execution, FunctionWaitOptions wait, string project, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var interval = wait.PollInterval;
        var last = execution;
        while (!last.IsCompleted)
        {
            var left = wait.Timeout == Timeout.InfiniteTimeSpan ? interval : wait.Timeout - _timeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new MudbaseFunctionTimeoutException(
                    $"Waited {wait.Timeout} for run {last.ExecutionId} of function {last.FunctionId}, which is still {last.Status}; it goes on (WaitAsync takes it up again).",
                    last);
            }

            await Task.Delay(left < interval ? left : interval, _timeProvider, cancellationToken).ConfigureAwait(false);
            last = await PollAsync(project, last.FunctionId, last.ExecutionId!, last.ProjectId, cancellationToken).ConfigureAwait(false);
            interval = interval + interval < wait.MaxPollInterval ? interval + interval : wait.MaxPollInterval;
        }

        return last;
    }

    private static TResult ReadResult<TResult>(FunctionExecution execution, JsonTypeInfo<TResult> resultType)
    {
        try
        {
            return execution.Result is { } result ? result.Deserialize(resultType)! : JsonSerializer.Deserialize("null"u8, resultType)!;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new MudbaseException(
                $"Function {execution.FunctionId} (run {execution.ExecutionId}) returned a result that is not a {typeof(TResult).Name}: {ex.Message}", ex);
        }
    }

    private static string DescribeFailure(FunctionExecution execution)
    {
        var what = execution.Status == FunctionExecutionStatus.TimedOut ? "timed out on the server" : $"ended {execution.Status}";
        var error = string.IsNullOrEmpty(execution.Error) ? "" : $": {execution.Error}";
        return $"Function {execution.FunctionId} (run {execution.ExecutionId}) {what}{error}";
    }

    /// <summary>The options' project: InvokeAsync has no projectId parameter (StartAsync and WaitAsync do).</summary>
    private string OptionsProject() =>
        _options.ProjectId ?? throw new ArgumentException(
            "A project id is required: set MudbaseClientOptions.ProjectId, or call StartAsync with a projectId and then WaitAsync.", "MudbaseClientOptions.ProjectId");

    private static FunctionWaitOptions CheckWait(FunctionWaitOptions? options)
    {
        if (options is null)
        {
            return DefaultWait;
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("options.PollInterval", options.PollInterval, "options.PollInterval must be positive.");
        }

        if (options.MaxPollInterval > MaxInterval)
        {
            throw new ArgumentOutOfRangeException("options.MaxPollInterval", options.MaxPollInterval, "options.MaxPollInterval must be at most one day.");
        }

        if (options.MaxPollInterval < options.PollInterval)
        {
            throw new ArgumentOutOfRangeException("options.MaxPollInterval", options.MaxPollInterval, "options.MaxPollInterval must not be less than options.PollInterval.");
        }

        if (options.Timeout <= TimeSpan.Zero && options.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException("options.Timeout", options.Timeout, "options.Timeout must be positive, or Timeout.InfiniteTimeSpan.");
        }

        // Copied: the caller may change their options object while the wait runs.
        return new FunctionWaitOptions { PollInterval = options.PollInterval, MaxPollInterval = options.MaxPollInterval, Timeout = options.Timeout };
    }
}
