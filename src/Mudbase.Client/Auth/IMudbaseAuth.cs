namespace Mudbase.Auth;

/// <summary>Project-user authentication: <c>client.Auth</c>, the same calls as the JavaScript SDK's <c>client.auth</c>.</summary>
public interface IMudbaseAuth
{
    /// <summary>Creates an anonymous (guest) session that can later be converted to a full account.</summary>
    /// <param name="request">The project and device; when null, the options' project is used.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session.</returns>
    /// <exception cref="ArgumentException">A field of <paramref name="request"/> is present but blank.</exception>
    /// <exception cref="MudbaseException">The server refused (for example <see cref="MudbaseNotFoundException"/> for an unknown project) or did not answer.</exception>
    Task<AuthSession> CreateAnonymousAsync(CreateAnonymousRequest? request = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a project user. When the project requires email verification (the default) the result has
    /// <see cref="RegisterResult.RequireVerification"/> set and no tokens; otherwise it carries the new session.
    /// Never re-sent after a failure that may have created the user, so an account is never created twice.
    /// </summary>
    /// <param name="request">The new user; its project, or the options' project, is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registration's outcome.</returns>
    /// <exception cref="ArgumentException">A required field is missing or blank, or no project id is known.</exception>
    /// <exception cref="MudbaseException">The server refused (<see cref="MudbaseValidationException"/>, <see cref="MudbaseConflictException"/> for a taken email, …) or did not answer.</exception>
    Task<RegisterResult> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken = default);
}
