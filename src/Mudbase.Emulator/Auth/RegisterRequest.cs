using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Auth;

/// <summary>The body of <c>POST /api/auth/local/register</c>, once it has passed validation.</summary>
internal sealed record RegisterRequest(string Email, string Password, string FirstName, string LastName, string ProjectId)
{
    public const int MinimumPasswordLength = 8;

    /// <summary>Validates every field, in the live server's order, collecting every failure.</summary>
    public static bool TryRead(JsonElement body, [NotNullWhen(true)] out RegisterRequest? request, out List<string> errors)
    {
        errors = [];
        var email = BodyFields.RequiredEmail(body, "email", errors);
        var password = BodyFields.RequiredString(body, "password", errors, MinimumPasswordLength);
        var firstName = BodyFields.RequiredString(body, "firstName", errors);
        var lastName = BodyFields.RequiredString(body, "lastName", errors);
        // Only presence here: the live server checks the id's format afterwards, with its own message.
        var projectId = BodyFields.RequiredString(body, "projectId", errors);

        request = email is null || password is null || firstName is null || lastName is null || projectId is null
            ? null
            : new RegisterRequest(email, password, firstName, lastName, projectId);
        return request is not null;
    }
}
