using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>Maps the project-user auth routes under <c>/api/auth</c>, and the emulator's OAuth consent page.</summary>
internal static class AuthEndpoints
{
    // Handlers take HttpRequest, not HttpContext: a Task<IResult> method taking HttpContext would
    // bind as a plain RequestDelegate and its result would be silently dropped.
    // Literal segments win over parameters in routing, so /local/password-reset/confirm is never
    // taken for a token, nor /oauth/providers/available for a provider and project.
    public static void MapAuthEndpoints(
        this IEndpointRouteBuilder routes,
        EmulatorStore store,
        ObjectIdGenerator ids,
        SessionIssuer sessions,
        BearerAuthenticator bearer,
        TimeProvider timeProvider)
    {
        var mailer = new EmailVerificationMailer(store, timeProvider);
        var registrar = new Registrar(store, ids, sessions, mailer, timeProvider);
        var passwordless = new PasswordlessUsers(store, ids, timeProvider);

        var auth = routes.MapGroup("/api/auth");
        auth.MapPost("/anonymous", new AnonymousEndpoint(store, ids, sessions, timeProvider).HandleAsync);
        auth.MapPost("/anonymous/convert", new ConvertAnonymousEndpoint(store, bearer, sessions, mailer, timeProvider).HandleAsync);
        auth.MapPost("/local/register", new RegisterEndpoint(store, registrar).HandleAsync);
        auth.MapPost("/local/signup/{role}", new RegisterWithRoleEndpoint(store, registrar).HandleAsync);
        auth.MapPost("/local/login", new LoginEndpoint(store, sessions).HandleAsync);
        auth.MapPost("/local/logout", new LogoutEndpoint(store, bearer, timeProvider).Handle);
        auth.MapGet("/local/session", new SessionEndpoint(bearer).Handle);
        auth.MapPost("/refresh", new RefreshEndpoint(store, sessions).HandleAsync);
        auth.MapPost("/verify-email", new VerifyEmailEndpoint(store, timeProvider).HandleAsync);
        auth.MapPost("/resend-verification", new ResendVerificationEndpoint(store, mailer).HandleAsync);
        auth.MapPost("/local/password-reset", new PasswordResetRequestEndpoint(store, timeProvider).HandleAsync);
        auth.MapPost("/local/password-reset/confirm", new PasswordResetConfirmEndpoint(store, timeProvider).HandleAsync);
        auth.MapPost("/local/password-reset/{token}", new PasswordResetWithTokenEndpoint(store, timeProvider).HandleAsync);
        auth.MapPost("/magic-link/send", new MagicLinkSendEndpoint(store, timeProvider).HandleAsync);
        auth.MapPost("/magic-link/verify", new MagicLinkVerifyEndpoint(store, passwordless, sessions, timeProvider).HandleAsync);
        auth.MapPost("/otp/send", new OtpSendEndpoint(store, timeProvider).HandleAsync);
        auth.MapPost("/otp/verify", new OtpVerifyEndpoint(store, passwordless, sessions, timeProvider).HandleAsync);
        auth.MapGet("/oauth/providers/available", OAuthProvidersEndpoint.Handle);
        auth.MapGet("/oauth/{provider}/{projectId}", new OAuthInitiateEndpoint(store, timeProvider).Handle);
        routes.MapGet(OAuthConsentEndpoint.Path, new OAuthConsentEndpoint(store, passwordless, sessions, timeProvider).Handle);
    }
}
