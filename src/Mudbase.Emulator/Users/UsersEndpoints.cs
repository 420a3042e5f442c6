using System.Text.Json;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Users;

/// <summary>
/// <c>/api/users</c>: the signed-in user's own account (CONTRACT.md, Users). Every route takes a bearer token only (no API
/// key), as the hosted service does. Refusals of the user's own input are 400 <c>{error}</c>, never 401, so that a
/// client does not take a wrong password for an expired session.
/// </summary>
internal sealed class UsersEndpoints(EmulatorStore store, UsersState users, BearerAuthenticator bearer, EmailVerificationMailer mailer, TimeProvider timeProvider)
{
    /// <summary>The providers a link may name (EVIDENCE.md, Users).</summary>
    /// <summary>The export's lists the emulator has nothing for.</summary>
    private static readonly string[] EmptyExportLists = ["wallets", "transactions", "files", "integrations", "apiKeys"];

    private static readonly string[] LinkableProviders = ["google", "github", "facebook", "microsoft", "apple", "twitter", "discord", "linkedin"];

    /// <summary>The image the 2FA setup returns as its QR code: a 1×1 PNG (the spec's example). The emulator draws no real QR code; the secret is in the answer.</summary>
    public const string PlaceholderQrCode = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    public static void Map(IEndpointRouteBuilder routes, UsersEndpoints endpoints)
    {
        var group = routes.MapGroup("/api/users");
        group.MapGet("/me", endpoints.GetMe);
        group.MapPatch("/update", endpoints.UpdateProfileAsync);
        group.MapPatch("/password", endpoints.ChangePasswordAsync);
        group.MapPost("/2fa/setup", endpoints.SetUpTwoFactor);
        group.MapPost("/2fa/verify", endpoints.VerifyTwoFactorAsync);
        group.MapPost("/2fa/disable", endpoints.DisableTwoFactorAsync);
        group.MapPost("/resend-verification", endpoints.ResendVerification);
        group.MapGet("/me/export", endpoints.Export);
        group.MapPost("/me/erase", endpoints.EraseAsync);
        group.MapGet("/me/oauth-providers", endpoints.ListProviders);
        group.MapGet("/me/oauth-providers/link/{provider}", endpoints.LinkProvider);
        group.MapDelete("/me/oauth-providers/{provider}", endpoints.UnlinkProvider);
    }

    public IResult GetMe(HttpRequest request) =>
        !bearer.TryAuthenticate(request, out var caller, out var error) ? error : Answer(writer => WriteUserProperty(writer, caller.User));

    public async Task<IResult> UpdateProfileAsync(HttpRequest request)
    {
        var (caller, body, error) = await BeginAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        errors.AddRange(body.EnumerateObject().Select(p => p.Name).Where(name => name is not ("firstName" or "lastName" or "avatar")).Select(name => $"\"{name}\" is not allowed"));
        var firstName = BodyFields.OptionalString(body, "firstName", errors);
        var lastName = BodyFields.OptionalString(body, "lastName", errors);
        var avatar = BodyFields.OptionalString(body, "avatar", errors);
        if (errors.Count == 0 && firstName is null && lastName is null && avatar is null)
        {
            errors.Add("\"value\" must have at least 1 key");
        }

        if (errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        var user = users.UpdateProfile(caller!.User.Id, firstName, lastName, avatar);
        return Answer(writer =>
        {
            writer.WriteString("message", "Profile updated successfully");
            WriteUserProperty(writer, user);
        });
    }

    public async Task<IResult> ChangePasswordAsync(HttpRequest request)
    {
        var (caller, body, error) = await BeginAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var current = BodyFields.RequiredString(body, "currentPassword", errors);
        var next = BodyFields.RequiredString(body, "newPassword", errors, RegisterRequest.MinimumPasswordLength);
        if (current is null || next is null)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        return Outcome(users.ChangePassword(caller!.User.Id, caller.SessionId, current, PasswordHasher.Hash(next)), "Password changed successfully");
    }

    public IResult SetUpTwoFactor(HttpRequest request)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        if (users.StartTwoFactor(caller.User.Id) is not { } secret)
        {
            return ErrorResults.BadRequest("2FA is already enabled");
        }

        return Answer(writer =>
        {
            writer.WriteString("secret", secret);
            writer.WriteString("qrCode", PlaceholderQrCode);
            writer.WriteString("manualEntryKey", secret);
        });
    }

    public async Task<IResult> VerifyTwoFactorAsync(HttpRequest request)
    {
        var (caller, body, error) = await BeginAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        return BodyFields.RequiredString(body, "token", errors) is { } code
            ? Outcome(users.EnableTwoFactor(caller!.User.Id, code), "2FA enabled successfully")
            : ErrorResults.ValidationFailed(errors);
    }

    public async Task<IResult> DisableTwoFactorAsync(HttpRequest request)
    {
        var (caller, body, error) = await BeginAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var password = BodyFields.RequiredString(body, "password", errors);
        var code = BodyFields.RequiredString(body, "token", errors);
        return password is null || code is null
            ? ErrorResults.ValidationFailed(errors)
            : Outcome(users.DisableTwoFactor(caller!.User.Id, password, code), "2FA disabled successfully");
    }

    public IResult ResendVerification(HttpRequest request)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        if (caller.User.IsAnonymous)
        {
            return ErrorResults.BadRequest("Anonymous users have no email address to verify");
        }

        if (caller.User.EmailVerified)
        {
            return ErrorResults.BadRequest("Email already verified");
        }

        mailer.Send(caller.User);
        return DataRequests.Message("Verification email sent");
    }

    public IResult Export(HttpRequest request)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        var user = caller.User;
        var project = store.FindProject(user.ProjectId)!;
        var extras = users.Extras(user.Id);
        return Answer(writer =>
        {
            writer.WriteString("exportedAt", JsonAnswer.Timestamp(timeProvider.GetUtcNow()));
            WriteUserProperty(writer, user);
            writer.WriteStartArray("projects");
            writer.WriteStartObject();
            writer.WriteString("_id", project.Id);
            writer.WriteString("name", project.Name);
            writer.WriteEndObject();
            writer.WriteEndArray();
            foreach (var empty in EmptyExportLists)
            {
                writer.WriteStartArray(empty);
                writer.WriteEndArray();
            }

            WriteLinks(writer, "oauthProviders", extras.Links);
        });
    }

    public async Task<IResult> EraseAsync(HttpRequest request)
    {
        var (caller, body, error) = await BeginAsync(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var confirm = BodyFields.RequiredString(body, "confirm", errors);
        var password = BodyFields.OptionalString(body, "currentPassword", errors);
        var code = BodyFields.OptionalString(body, "totpToken", errors);
        if (errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (confirm != "DELETE")
        {
            return ErrorResults.BadRequest("Confirmation required: send confirm: \"DELETE\"");
        }

        var outcome = users.Erase(caller!.User.Id, password, code);
        if (outcome.Refusal is { } refusal)
        {
            return ErrorResults.BadRequest(refusal);
        }

        return Answer(writer =>
        {
            writer.WriteBoolean("success", true);
            writer.WriteString("message", "User data anonymized and account disabled");
            writer.WriteStartObject("data");
            writer.WriteBoolean("alreadyErased", false);
            writer.WriteString("subjectId", caller.User.Id);
            writer.WriteBoolean("anonymized", true);
            writer.WriteNumber("sessionsRevoked", outcome.SessionsRevoked);
            writer.WriteEndObject();
        });
    }

    public IResult ListProviders(HttpRequest request) =>
        !bearer.TryAuthenticate(request, out var caller, out var error)
            ? error
            : Answer(writer => WriteLinks(writer, "providers", users.Extras(caller.User.Id).Links));

    /// <summary>
    /// Links at once, since the emulator has no provider to send the browser to, then redirects (302) to
    /// <c>redirect_url</c> with <c>linked={provider}</c>, or answers <c>{redirectUrl}</c> without one.
    /// </summary>
    public IResult LinkProvider(HttpRequest request, string provider)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        var name = provider.ToLowerInvariant();
        if (!LinkableProviders.Contains(name))
        {
            return ErrorResults.BadRequest($"Unsupported provider: {provider}");
        }

        if (request.Query["projectId"].ToString() is { Length: > 0 } projectId && !string.Equals(projectId, caller.User.ProjectId, StringComparison.OrdinalIgnoreCase))
        {
            return ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("Access denied") { Code = "FORBIDDEN" });
        }

        users.Link(caller.User.Id, name);
        if (Uri.TryCreate(request.Query["redirect_url"].ToString(), UriKind.Absolute, out var back))
        {
            return TypedResults.Redirect(back.AbsoluteUri + (back.Query.Length > 0 ? "&" : "?") + "linked=" + name);
        }

        return Answer(writer => writer.WriteString("redirectUrl", $"/api/users/me/oauth-providers?linked={name}"));
    }

    public IResult UnlinkProvider(HttpRequest request, string provider)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        var name = provider.ToLowerInvariant();
        return users.Unlink(caller.User.Id, name) switch
        {
            null => ErrorResults.NotFound("Provider not linked"),
            { Refusal: { } refusal } => ErrorResults.BadRequest(refusal),
            _ => Answer(writer =>
            {
                writer.WriteString("message", "Provider unlinked successfully");
                writer.WriteString("provider", name);
            }),
        };
    }

    /// <summary>The caller (401 without a live token) and the JSON object body (400 otherwise).</summary>
    private async Task<(AuthenticatedCaller? Caller, JsonElement Body, IResult? Error)> BeginAsync(HttpRequest request)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return (null, default, error);
        }

        return await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is { } body
            ? (caller, body, null)
            : (caller, default, ErrorResults.InvalidJson());
    }

    private static IResult Outcome(UsersOutcome outcome, string message) =>
        outcome.Refusal is { } refusal ? ErrorResults.BadRequest(refusal) : DataRequests.Message(message);

    private static IResult Answer(Action<Utf8JsonWriter> writeProperties) => JsonAnswer.Write(StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartObject();
        writeProperties(writer);
        writer.WriteEndObject();
    });

    /// <summary><c>"user": User</c>, the spec's <c>User</c> keyed by <c>_id</c>.</summary>
    private void WriteUserProperty(Utf8JsonWriter writer, UserAccount user)
    {
        var extras = users.Extras(user.Id);
        writer.WriteStartObject("user");
        writer.WriteString("_id", user.Id);
        writer.WriteString("email", user.Email);
        writer.WriteString("firstName", user.FirstName);
        writer.WriteString("lastName", user.LastName);
        writer.WriteString("fullName", $"{user.FirstName} {user.LastName}".Trim());
        writer.WriteString("avatar", extras.Avatar);
        writer.WriteString("role", user.Role);
        writer.WriteString("customRole", user.CustomRole);
        writer.WriteBoolean("isAnonymous", user.IsAnonymous);
        writer.WriteBoolean("emailVerified", user.EmailVerified);
        writer.WriteBoolean("twoFactorEnabled", extras.TotpSecret is not null);
        writer.WriteString("createdAt", JsonAnswer.Timestamp(user.CreatedAt));
        writer.WriteString("updatedAt", JsonAnswer.Timestamp(extras.UpdatedAt ?? user.CreatedAt));
        writer.WriteEndObject();
    }

    private static void WriteLinks(Utf8JsonWriter writer, string name, IReadOnlyList<ProviderLink> links)
    {
        writer.WriteStartArray(name);
        foreach (var link in links)
        {
            writer.WriteStartObject();
            writer.WriteString("provider", link.Provider);
            writer.WriteString("providerId", link.ProviderId);
            writer.WriteString("email", link.Email);
            writer.WriteString("linkedAt", JsonAnswer.Timestamp(link.LinkedAt));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
