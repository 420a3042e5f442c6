using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase.Functions;

/// <summary>
/// The end-user function endpoints (CONTRACT.md, Functions), one line each. Made as the view's user when signed in,
/// else with the API key or none. Execute is a POST: the retry handler never re-sends it after an answer that may mean
/// the run started.
/// </summary>
internal interface IFunctionsApi
{
    [Get("/api/functions/projects/{projectId}/functions")]
    Task<FunctionListAnswer> ListAsync(
        string projectId, [Query] int page, [Query] int limit, [Query] string? search, [Query] string? triggerType, [Query] string? isActive,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/functions/projects/{projectId}/functions/{functionId}")]
    Task<FunctionAnswer> GetAsync(
        string projectId, string functionId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/functions/projects/{projectId}/functions/{functionId}/execute")]
    Task<ExecutionAnswer> ExecuteAsync(
        string projectId, string functionId, [Body] ExecuteBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session,
        CancellationToken cancellationToken);

    [Get("/api/functions/projects/{projectId}/functions/{functionId}/executions/{executionId}")]
    Task<ExecutionAnswer> GetExecutionAsync(
        string projectId, string functionId, string executionId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session,
        CancellationToken cancellationToken);
}
