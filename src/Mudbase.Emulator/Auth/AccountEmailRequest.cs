using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// The body of the "email me" endpoints (resend verification, password reset): <c>{ email, projectId? }</c>. Their
/// answer is the same whether or not the account exists, so that it cannot be used to find out who has one.
/// </summary>
internal static class AccountEmailRequest
{
    /// <summary>
    /// Reads and checks the body, then finds the project's user with that email. <c>Error</c> is the answer to send
    /// when the body or the project is wrong; otherwise <c>User</c> is who to write to, or null when nobody (no such
    /// user, or no projectId: the hosted service then looks for an org account, which the emulator has none of).
    /// </summary>
    public static async Task<(IResult? Error, UserAccount? User)> ReadAsync(HttpRequest request, EmulatorStore store)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return (ErrorResults.InvalidJson(), null);
        }

        var errors = new List<string>();
        var email = BodyFields.RequiredEmail(body, "email", errors);
        var projectId = BodyFields.OptionalString(body, "projectId", errors);
        if (email is null || errors.Count > 0)
        {
            return (ErrorResults.ValidationFailed(errors), null);
        }

        if (projectId is null)
        {
            return (null, null);
        }

        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return (error, null);
        }

        return (null, store.FindUserByEmail(project.Id, email.ToLowerInvariant()));
    }
}
