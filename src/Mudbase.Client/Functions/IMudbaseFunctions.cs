using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Mudbase.Functions;

/// <summary>
/// A project's functions (the JavaScript SDK's <c>client.functions</c>): list them, and run them. A run is an operation:
/// <see cref="StartAsync"/> starts it and returns at once with its id, <see cref="WaitAsync"/> waits for it to end (and
/// can be given up and taken up again, by the id, from anywhere), and <see cref="InvokeAsync(string, JsonNode?, FunctionWaitOptions?, CancellationToken)"/>
/// does both. Calls are made as the signed-in user; without one, with the API key if the options have one.
/// </summary>
/// <example>
/// <code>
/// var total = await client.Functions.InvokeAsync("685ad30be129932fbb7a5001", new JsonObject { ["items"] = 3 }, AppJson.Default.Quote);
///
/// var run = await client.Functions.StartAsync("685ad30be129932fbb7a5001", payload);   // returns at once
/// save(run.ExecutionId);                                                                  // … later, anywhere:
/// var done = await client.Functions.WaitAsync(await client.Functions.GetExecutionAsync(functionId, executionId));
/// </code>
/// </example>
public interface IMudbaseFunctions
{
    /// <summary>Lists a page of the project's functions.</summary>
    /// <param name="options">The page, its size and filters; null for the first 20 of the options' project.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The page is below 1, the limit outside 1..100, a filter blank, or there is no project id.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<FunctionPage> ListAsync(FunctionListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Gets one function.</summary>
    /// <param name="functionId">The function's id.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The function.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such function.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<MudbaseFunction> GetAsync(string functionId, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a run and returns as soon as the server has accepted it (usually <see cref="FunctionExecutionStatus.Queued"/>;
    /// an older server that runs it before answering returns it completed). Never sent twice: after an answer that may
    /// mean the run was started (a lost connection, a 500), the call fails rather than risk a second run.
    /// </summary>
    /// <param name="functionId">The function's id.</param>
    /// <param name="payload">What the function gets as its input (a JSON object); null for none.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call (a run the server has already accepted goes on).</param>
    /// <returns>The run, with its <see cref="FunctionExecution.ExecutionId"/>.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such function, or it is inactive.</exception>
    /// <exception cref="MudbaseValidationException">The payload is too large (over 1 MiB by default) or refused.</exception>
    /// <exception cref="MudbaseRateLimitException">The function's runs per minute or hour are used up.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<FunctionExecution> StartAsync(string functionId, JsonNode? payload = null, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a run's status (and, once it has ended, its result, error and logs): what picks a run up again by its id.</summary>
    /// <param name="functionId">The function's id.</param>
    /// <param name="executionId">The run's id, as <see cref="StartAsync"/> returned it.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run as it stands.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such function or run.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<FunctionExecution> GetExecutionAsync(string functionId, string executionId, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for a run to end, polling its status with growing intervals (<see cref="FunctionWaitOptions"/>). Returns the
    /// run as it ended, succeeded or not: check <see cref="FunctionExecution.Status"/>. A run already completed is returned
    /// at once. A poll that fails in a way that may be retried is retried as any read is; any other failure ends the wait.
    /// </summary>
    /// <param name="execution">The run, from <see cref="StartAsync"/>, <see cref="GetExecutionAsync"/>, or a <see cref="MudbaseFunctionTimeoutException"/>.</param>
    /// <param name="options">How to poll and how long to wait; null for the defaults (0.5 s growing to 5 s, for 5 minutes).</param>
    /// <param name="cancellationToken">Stops waiting at once (the run goes on).</param>
    /// <returns>The run, ended.</returns>
    /// <exception cref="ArgumentException">The execution is null, not completed and without an id, or the options are out of range.</exception>
    /// <exception cref="MudbaseFunctionTimeoutException">The wait's timeout passed first; the run goes on, and the exception holds its last status.</exception>
    /// <exception cref="MudbaseException">A poll failed; the exception says why.</exception>
    Task<FunctionExecution> WaitAsync(FunctionExecution execution, FunctionWaitOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a function in <see cref="MudbaseClientOptions.ProjectId"/> and waits for it to succeed: <see cref="StartAsync"/>
    /// (never sent twice), then <see cref="WaitAsync"/>. For another project, call those two.
    /// </summary>
    /// <param name="functionId">The function's id.</param>
    /// <param name="payload">What the function gets as its input (a JSON object); null for none.</param>
    /// <param name="options">How to poll and how long to wait; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call or the wait (a run the server has accepted goes on).</param>
    /// <returns>The run, succeeded: its <see cref="FunctionExecution.Result"/> is what the function returned.</returns>
    /// <exception cref="ArgumentException">The id is blank, there is no project id, or the options are out of range.</exception>
    /// <exception cref="MudbaseFunctionTimeoutException">The wait's timeout passed first; the run goes on.</exception>
    /// <exception cref="MudbaseFunctionException">The run failed or timed out on the server; its <see cref="MudbaseFunctionException.Execution"/> has the error and logs.</exception>
    /// <exception cref="MudbaseException">A call failed; the exception says why.</exception>
    // RS0026: the two InvokeAsync overloads (untyped, typed) are the API's contract, and differ by a required parameter.
#pragma warning disable RS0026
    Task<FunctionExecution> InvokeAsync(string functionId, JsonNode? payload = null, FunctionWaitOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="InvokeAsync(string, JsonNode?, FunctionWaitOptions?, CancellationToken)"/>, then reads the function's
    /// result as <typeparamref name="TResult"/> with <paramref name="resultType"/> (from your own source-generated
    /// <c>JsonSerializerContext</c>: no reflection).
    /// </summary>
    /// <typeparam name="TResult">The result's type.</typeparam>
    /// <param name="functionId">The function's id.</param>
    /// <param name="payload">What the function gets as its input (a JSON object); null for none.</param>
    /// <param name="resultType">How to read the result.</param>
    /// <param name="options">How to poll and how long to wait; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call or the wait (a run the server has accepted goes on).</param>
    /// <returns>The function's result. A result of JSON <c>null</c> (or none) is read as <c>null</c> is by <paramref name="resultType"/>.</returns>
    /// <exception cref="ArgumentException">The id is blank, <paramref name="resultType"/> is null, there is no project id, or the options are out of range.</exception>
    /// <exception cref="MudbaseFunctionTimeoutException">The wait's timeout passed first; the run goes on.</exception>
    /// <exception cref="MudbaseFunctionException">The run failed or timed out on the server.</exception>
    /// <exception cref="MudbaseException">A call failed, or the result is not a <typeparamref name="TResult"/> (the message names the function).</exception>
    Task<TResult> InvokeAsync<TResult>(
        string functionId, JsonNode? payload, JsonTypeInfo<TResult> resultType, FunctionWaitOptions? options = null, CancellationToken cancellationToken = default);
#pragma warning restore RS0026
}
