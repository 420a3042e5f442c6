using System.Text.Json;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/refresh</c>: exchanges a refresh token for a new pair. Tokens rotate and are
/// single-use; presenting a spent one revokes its whole session (see <see cref="AuthState.RotateRefreshToken"/>).
/// </summary>
internal sealed class RefreshEndpoint(EmulatorStore store, SessionIssuer sessions)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        // Counted first, so that tests see every attempt, including the malformed ones.
        store.Count(static counts => counts with { RefreshRequests = counts.RefreshRequests + 1 });
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        if (!body.TryGetProperty("refreshToken", out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            return ErrorResults.BadRequest("Refresh token is required");
        }

        var (status, tokens) = sessions.Refresh(value.GetString()!);
        return status switch
        {
            RefreshStatus.Rotated => TypedResults.Json(
                new RefreshResponse("Token refreshed successfully", tokens.Token, tokens.RefreshToken, tokens.ExpiresIn),
                EmulatorJsonContext.Wire.RefreshResponse),
            RefreshStatus.Reused => ErrorResults.Unauthorized("Session has been invalidated. Please sign in again."),
            _ => ErrorResults.Unauthorized("Invalid or expired refresh token"),
        };
    }
}
