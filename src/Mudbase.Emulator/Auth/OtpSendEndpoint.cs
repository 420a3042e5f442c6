using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/otp/send</c>: puts a 6-digit sign-in code in the outbox, addressed to the
/// email (lower case) or the phone number (E.164: <c>+</c> and digits), which is also the <c>identifier</c> that
/// <c>/otp/verify</c> takes. A new code voids the earlier one. Sending creates no user and
/// answers the same for anyone.
/// </summary>
internal sealed class OtpSendEndpoint(EmulatorStore store, AuthState auth, TimeProvider timeProvider)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly string[] Methods = ["sms", "email"];

    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var projectId = BodyFields.RequiredString(body, "projectId", errors);
        var method = BodyFields.RequiredOneOf(body, "method", Methods, errors);
        var identifier = method switch
        {
            "email" => BodyFields.RequiredEmail(body, "email", errors)?.ToLowerInvariant(),
            "sms" => BodyFields.RequiredPhone(body, "phone", errors),
            _ => null,
        };
        if (projectId is null || identifier is null)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return error;
        }

        var now = timeProvider.GetUtcNow();
        var code = new OneTimeCode(identifier, project.Id, Secrets.SixDigitCode(), now, now + Lifetime);
        auth.SetSignInCode(code);
        store.AddToOutbox(new EmulatorOutboxMessage(identifier, EmulatorOutboxKinds.Otp, Token: null, code.Code, Link: null, now));
        return TypedResults.Json(new MessageResponse("OTP code sent successfully"), EmulatorJsonContext.Wire.MessageResponse);
    }
}
