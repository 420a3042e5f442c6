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
        AuthState auth,
        ObjectIdGenerator ids,
        SessionIssuer sessions,
        BearerAuthenticator bearer,
        TimeProvider timeProvider)
    {
        var mailer = new EmailVerificationMailer(store, auth, timeProvider);
        var registrar = new Registrar(store, ids, sessions, mailer, timeProvider);
        var passwordless = new PasswordlessUsers(store, ids, timeProvider);

        var group = routes.MapGroup("/api/auth");
        group.MapPost("/anonymous", new AnonymousEndpoint(store, ids, sessions, timeProvider).HandleAsync);
        group.MapPost("/anonymous/convert", new ConvertAnonymousEndpoint(store, auth, bearer, sessions, mailer, timeProvider).HandleAsync);
        group.MapPost("/local/register", new RegisterEndpoint(store, registrar).HandleAsync);
        group.MapPost("/local/signup/{role}", new RegisterWithRoleEndpoint(store, registrar).HandleAsync);
        group.MapPost("/local/login", new LoginEndpoint(store, sessions).HandleAsync);
        group.MapPost("/local/logout", new LogoutEndpoint(auth, bearer, timeProvider).Handle);
        group.MapGet("/local/session", new SessionEndpoint(bearer).Handle);
        group.MapPost("/refresh", new RefreshEndpoint(store, sessions).HandleAsync);
        group.MapPost("/verify-email", new VerifyEmailEndpoint(auth, timeProvider).HandleAsync);
        group.MapPost("/resend-verification", new ResendVerificationEndpoint(store, mailer).HandleAsync);
        group.MapPost("/local/password-reset", new PasswordResetRequestEndpoint(store, auth, timeProvider).HandleAsync);
        group.MapPost("/local/password-reset/confirm", new PasswordResetConfirmEndpoint(store, auth, timeProvider).HandleAsync);
        group.MapPost("/local/password-reset/{token}", new PasswordResetWithTokenEndpoint(auth, timeProvider).HandleAsync);
        group.MapPost("/magic-link/send", new MagicLinkSendEndpoint(store, auth, timeProvider).HandleAsync);
        group.MapPost("/magic-link/verify", new MagicLinkVerifyEndpoint(auth, passwordless, sessions, timeProvider).HandleAsync);
        group.MapPost("/otp/send", new OtpSendEndpoint(store, auth, timeProvider).HandleAsync);
        group.MapPost("/otp/verify", new OtpVerifyEndpoint(store, auth, passwordless, sessions, timeProvider).HandleAsync);
        group.MapGet("/oauth/providers/available", OAuthProvidersEndpoint.Handle);
        group.MapGet("/oauth/{provider}/{projectId}", new OAuthInitiateEndpoint(store, auth, timeProvider).Handle);
        routes.MapGet(OAuthConsentEndpoint.Path, new OAuthConsentEndpoint(store, auth, passwordless, sessions, timeProvider).Handle);
    }
}
