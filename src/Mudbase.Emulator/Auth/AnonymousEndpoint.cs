using System.Security.Cryptography;
using System.Text.Json;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/anonymous</c>: creates a guest user and signs it in. Every call makes a new
/// user, even for a device seen before.
/// </summary>
internal sealed class AnonymousEndpoint(EmulatorStore store, ObjectIdGenerator ids, SessionIssuer sessions, TimeProvider timeProvider)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        // Absent, null and "" all read as missing, as the live server's falsy check does.
        if (!body.TryGetProperty("projectId", out var projectIdValue)
            || projectIdValue.ValueKind == JsonValueKind.Null
            || projectIdValue is { ValueKind: JsonValueKind.String } && projectIdValue.GetString()!.Length == 0)
        {
            return ErrorResults.BadRequest("projectId is required");
        }

        var projectId = projectIdValue.ValueKind == JsonValueKind.String ? projectIdValue.GetString()! : projectIdValue.GetRawText();
        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return error;
        }

        var user = new UserAccount
        {
            Id = ids.Next(),
            ProjectId = project.Id,
            Email = $"anonymous_{RandomNumberGenerator.GetHexString(16, lowercase: true)}@anonymous.local",
            FirstName = "Anonymous",
            LastName = "User",
            EmailVerified = false,
            IsAnonymous = true,
            DeviceId = body.TryGetProperty("deviceId", out var deviceId) && deviceId.ValueKind == JsonValueKind.String ? deviceId.GetString() : null,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        // The random email cannot collide in practice; a collision would be a bug worth a 500.
        if (!store.TryAddUser(user))
        {
            throw new InvalidOperationException("Generated anonymous email already exists.");
        }

        var tokens = sessions.StartSession(user);
        return TypedResults.Json(
            new AnonymousSessionResponse(
                "Anonymous session created",
                tokens.Token,
                tokens.RefreshToken,
                tokens.ExpiresIn,
                new AnonymousUserBody(user.Id, user.Email, user.FirstName, user.LastName, user.Role, IsAnonymous: true, user.CustomRole)),
            EmulatorJsonContext.Wire.AnonymousSessionResponse);
    }
}
