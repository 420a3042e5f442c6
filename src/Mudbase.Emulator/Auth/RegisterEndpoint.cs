using System.Security.Cryptography;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/register</c>: creates a project user. When the project requires email
/// verification (the default) no tokens are issued; a verification token is kept instead, where a
/// verification email would have carried it.
/// </summary>
internal sealed class RegisterEndpoint(EmulatorStore store, ObjectIdGenerator ids, SessionIssuer sessions, TimeProvider timeProvider)
{
    private static readonly TimeSpan EmailVerificationLifetime = TimeSpan.FromHours(24);

    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        if (!RegisterRequest.TryRead(body, out var registration, out var errors))
        {
            return ErrorResults.Status(StatusCodes.Status400BadRequest, new ErrorBody("Validation failed") { Details = errors });
        }

        if (!ProjectLookup.TryFind(store, registration.ProjectId, out var project, out var error))
        {
            return error;
        }

        var now = timeProvider.GetUtcNow();
        var user = new UserAccount
        {
            Id = ids.Next(),
            ProjectId = project.Id,
            Email = registration.Email.ToLowerInvariant(),
            FirstName = registration.FirstName,
            LastName = registration.LastName,
            PasswordHash = PasswordHasher.Hash(registration.Password),
            EmailVerified = !project.RequireEmailVerification,
            CreatedAt = now,
        };
        if (!store.TryAddUser(user))
        {
            return ErrorResults.Status(StatusCodes.Status409Conflict, new ErrorBody("User already exists") { Code = "CONFLICT" });
        }

        var userBody = new RegisteredUserBody(user.Id, user.Email, user.FirstName, user.LastName, user.EmailVerified, user.CustomRole);
        if (project.RequireEmailVerification)
        {
            store.AddEmailVerificationToken(new EmailVerificationToken(
                RandomNumberGenerator.GetHexString(64, lowercase: true), user.Id, project.Id, user.Email, now, now + EmailVerificationLifetime));
            return TypedResults.Json(
                new RegisterPendingResponse("Check your email to verify your account", RequireVerification: true, userBody),
                EmulatorJsonContext.Wire.RegisterPendingResponse,
                statusCode: StatusCodes.Status201Created);
        }

        var tokens = sessions.StartSession(user);
        return TypedResults.Json(
            new RegisterSessionResponse("Registration successful", RequireVerification: false, tokens.Token, tokens.RefreshToken, tokens.ExpiresIn, userBody),
            EmulatorJsonContext.Wire.RegisterSessionResponse,
            statusCode: StatusCodes.Status201Created);
    }
}
