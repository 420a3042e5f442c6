using Mudbase.Internal;

namespace Mudbase.Auth;

/// <summary>The facade of the auth calls: argument checks, defaults from the options, and mapping to public results. No HTTP here.</summary>
internal sealed class MudbaseAuth : IMudbaseAuth
{
    private readonly IAuthApi _api;
    private readonly MudbaseClientOptions _options;
    private readonly TimeProvider _timeProvider;

    public MudbaseAuth(IAuthApi api, MudbaseClientOptions options, TimeProvider timeProvider)
    {
        _api = api;
        _options = options;
        _timeProvider = timeProvider;
    }

    public async Task<AuthSession> CreateAnonymousAsync(CreateAnonymousRequest? request = null, CancellationToken cancellationToken = default)
    {
        Guard.NullOrNotBlank(request?.ProjectId, "request.ProjectId");
        Guard.NullOrNotBlank(request?.DeviceId, "request.DeviceId");
        cancellationToken.ThrowIfCancellationRequested();

        var body = new AnonymousRequestBody
        {
            ProjectId = request?.ProjectId ?? _options.ProjectId,
            DeviceId = request?.DeviceId,
        };
        var response = await _api.CreateAnonymousAsync(body, cancellationToken).ConfigureAwait(false);
        return ToSession(response);
    }

    public async Task<RegisterResult> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.NotBlank(request.Email, "request.Email");
        Guard.NotBlank(request.Password, "request.Password");
        Guard.NotBlank(request.FirstName, "request.FirstName");
        Guard.NotBlank(request.LastName, "request.LastName");
        var projectId = RequireProjectId(request.ProjectId, "request.ProjectId");
        cancellationToken.ThrowIfCancellationRequested();

        var response = await _api.RegisterAsync(
            new RegisterRequestBody
            {
                Email = request.Email,
                Password = request.Password,
                FirstName = request.FirstName,
                LastName = request.LastName,
                ProjectId = projectId,
            },
            cancellationToken).ConfigureAwait(false);

        AuthSession? session = null;
        if (!string.IsNullOrEmpty(response.Token) && !string.IsNullOrEmpty(response.RefreshToken) && response.User is not null)
        {
            session = NewSession(response.Token, response.RefreshToken, response.ExpiresIn ?? 0, response.User, response.Message);
        }

        return new RegisterResult(response.RequireVerification ?? session is null, response.User, session, response.Message);
    }

    private string RequireProjectId(string? requested, string paramName)
    {
        Guard.NullOrNotBlank(requested, paramName);
        var projectId = requested ?? _options.ProjectId;
        if (projectId is null)
        {
            throw new ArgumentException(
                $"A project id is required: set {paramName} or MudbaseClientOptions.ProjectId.", paramName);
        }

        return projectId;
    }

    private AuthSession ToSession(SessionResponse response) =>
        NewSession(response.Token, response.RefreshToken, response.ExpiresIn, response.User, response.Message);

    private AuthSession NewSession(string token, string refreshToken, int expiresIn, MudbaseUser user, string? message) =>
        // The server's lifetime, counted from arrival: clocks of client and server need not agree.
        new(token, refreshToken, expiresIn, _timeProvider.GetUtcNow().AddSeconds(expiresIn), user, message);
}
