using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>Maps the project-user auth routes under <c>/api/auth</c>.</summary>
internal static class AuthEndpoints
{
    // Handlers take HttpRequest, not HttpContext: a Task<IResult> method taking HttpContext would
    // bind as a plain RequestDelegate and its result would be silently dropped.
    public static void MapAuthEndpoints(
        this IEndpointRouteBuilder routes, EmulatorStore store, ObjectIdGenerator ids, SessionIssuer sessions, TimeProvider timeProvider)
    {
        var auth = routes.MapGroup("/api/auth");
        auth.MapPost("/anonymous", new AnonymousEndpoint(store, ids, sessions, timeProvider).HandleAsync);
        auth.MapPost("/local/register", new RegisterEndpoint(store, ids, sessions, timeProvider).HandleAsync);
    }
}
