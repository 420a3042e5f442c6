using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/register</c>: creates a project user. When the project requires email
/// verification (the default) no tokens are issued; a verification email goes to the outbox instead.
/// </summary>
internal sealed class RegisterEndpoint(EmulatorStore store, Registrar registrar)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        if (!RegisterRequest.TryRead(body, out var registration, out var errors))
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!ProjectLookup.TryFind(store, registration.ProjectId, out var project, out var error))
        {
            return error;
        }

        if (registrar.Register(project, registration) is not { } result)
        {
            return ErrorResults.UserExists();
        }

        var userBody = new RegisteredUserBody(
            result.User.Id, result.User.Email, result.User.FirstName, result.User.LastName, result.User.EmailVerified, result.User.CustomRole);
        if (result.Tokens is not { } tokens)
        {
            return TypedResults.Json(
                new RegisterPendingResponse(RegistrationMessages.Pending, RequireVerification: true, userBody),
                EmulatorJsonContext.Wire.RegisterPendingResponse,
                statusCode: StatusCodes.Status201Created);
        }

        return TypedResults.Json(
            new RegisterSessionResponse(RegistrationMessages.SignedIn, RequireVerification: false, tokens.Token, tokens.RefreshToken, tokens.ExpiresIn, userBody),
            EmulatorJsonContext.Wire.RegisterSessionResponse,
            statusCode: StatusCodes.Status201Created);
    }
}
