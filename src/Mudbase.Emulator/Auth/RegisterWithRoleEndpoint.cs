using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/signup/{role}</c>: registers a user into a project role (the slug in
/// the path, never in the body), with the verification rule of plain registration. The body must
/// also carry <c>agreedToTerms: true</c>. A duplicate email is 409, as on plain registration
/// (the spec says 400 here; clients accept both).
/// </summary>
internal sealed class RegisterWithRoleEndpoint(EmulatorStore store, Registrar registrar)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string role)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        _ = RegisterRequest.TryRead(body, out var registration, out var errors);
        // Checked even when other fields failed: the live server reports every failure at once.
        var agreedToTerms = BodyFields.RequiredTrue(body, "agreedToTerms", errors);
        if (registration is null || !agreedToTerms)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!ProjectLookup.TryFind(store, registration.ProjectId, out var project, out var error))
        {
            return error;
        }

        // Slugs are matched exactly, as a route segment of the live server is.
        if (project.Roles.FirstOrDefault(candidate => candidate.Slug == role) is not { } projectRole)
        {
            return ErrorResults.NotFound("Role not found");
        }

        if (registrar.Register(project, registration, projectRole.Slug) is not { } result)
        {
            return ErrorResults.UserExists();
        }

        var userBody = UserBody.From(result.User);
        var roleBody = RoleBody.From(projectRole);
        if (result.Tokens is not { } tokens)
        {
            return TypedResults.Json(
                new RoleSignupPendingResponse(RegistrationMessages.Pending, RequireVerification: true, userBody, roleBody),
                EmulatorJsonContext.Wire.RoleSignupPendingResponse,
                statusCode: StatusCodes.Status201Created);
        }

        return TypedResults.Json(
            new RoleSignupSessionResponse(
                RegistrationMessages.SignedIn, RequireVerification: false, tokens.Token, tokens.RefreshToken, tokens.ExpiresIn, userBody, roleBody),
            EmulatorJsonContext.Wire.RoleSignupSessionResponse,
            statusCode: StatusCodes.Status201Created);
    }
}
