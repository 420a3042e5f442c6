using System.Diagnostics.CodeAnalysis;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Data;

/// <summary>Who calls a data or collection route.</summary>
internal abstract record DataCaller
{
    /// <summary>The project's API key: allowed everything, no conditions, no protected fields.</summary>
    public sealed record Key : DataCaller;

    /// <summary>A project user with a valid access token (a guest included).</summary>
    public sealed record User(UserAccount Account) : DataCaller;

    /// <summary>No credential at all: only <c>public</c> grants apply.</summary>
    public sealed record Nobody : DataCaller;
}

/// <summary>
/// The emulator's API keys. Each project has one, made from its id (<c>ak_emulator_&lt;projectId&gt;</c>), so that
/// it is the same in every run and in every emulator, and a sample's configuration can name it. Anyone who
/// knows a project's id can work out its key: this is a local test server on loopback, not a vault.
/// </summary>
internal static class ApiKeys
{
    private const string Prefix = "ak_emulator_";

    public static string For(string projectId) => Prefix + projectId.ToLowerInvariant();
}

/// <summary>
/// Reads the credential of a data or collection request. <c>Authorization: Bearer &lt;JWT&gt;</c> is tried first, as
/// on the hosted service; <c>Authorization: Bearer ak_…</c> is an API key, as is <c>X-API-Key</c>. A key is valid for
/// its own project only. A user's token is valid on its own project only (403 elsewhere, as on the session route).
/// </summary>
internal sealed class DataAuthenticator(BearerAuthenticator bearer)
{
    private const string Scheme = "Bearer ";
    private const string ApiKeyHeader = "X-API-Key";

    public bool TryAuthenticate(
        HttpRequest request,
        Project project,
        [NotNullWhen(true)] out DataCaller? caller,
        [NotNullWhen(false)] out IResult? error)
    {
        caller = null;
        error = null;
        var authorization = request.Headers.Authorization.ToString();
        var apiKey = request.Headers[ApiKeyHeader].ToString();
        var hasBearer = authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);
        if (hasBearer && authorization[Scheme.Length..].Trim() is var token && token.StartsWith("ak_", StringComparison.Ordinal))
        {
            return TryKey(token, project, out caller, out error);
        }

        if (hasBearer)
        {
            if (bearer.TryAuthenticate(request, out var user, out var bearerError))
            {
                if (!string.Equals(user.User.ProjectId, project.Id, StringComparison.Ordinal))
                {
                    error = ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("Access denied") { Code = "FORBIDDEN" });
                    return false;
                }

                caller = new DataCaller.User(user.User);
                return true;
            }

            // A bad token with a key beside it: the key decides.
            if (apiKey.Length == 0)
            {
                error = bearerError;
                return false;
            }
        }

        if (apiKey.Length > 0)
        {
            return TryKey(apiKey, project, out caller, out error);
        }

        caller = new DataCaller.Nobody();
        return true;
    }

    private static bool TryKey(string key, Project project, [NotNullWhen(true)] out DataCaller? caller, [NotNullWhen(false)] out IResult? error)
    {
        if (string.Equals(key.Trim(), ApiKeys.For(project.Id), StringComparison.Ordinal))
        {
            caller = new DataCaller.Key();
            error = null;
            return true;
        }

        caller = null;
        error = ErrorResults.Unauthorized("Invalid API key");
        return false;
    }
}
