using System.Net;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Chaos;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Functions;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.Outbox;
using Mudbase.Emulator.RateLimiting;
using Mudbase.Emulator.Roles;
using Mudbase.Emulator.Search;
using Mudbase.Emulator.Realtime;
using Mudbase.Emulator.State;
using Mudbase.Emulator.Storage;
using Mudbase.Emulator.Users;

namespace Mudbase.Emulator;

/// <summary>Composes one emulator: its Kestrel host, middleware and routes, around its own state.</summary>
internal static class EmulatorApplication
{
    public static WebApplication Build(EmulatorSettings settings, EmulatorStore store, ObjectIdGenerator ids, ChaosState chaos, DataState data, StorageState storage, FunctionsState functions, RolesState roles, RealtimeHub realtime)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorApplication).Assembly.GetName().Name,
            // Fixed, so that an ASPNETCORE_ENVIRONMENT of the host process cannot switch on
            // development behaviour (such as exception pages) the hosted service never shows.
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The emulator is configured by its options alone. Embedded in an app, the builder would otherwise read that
        // app's appsettings.json and environment (Kestrel endpoints and limits, logging), meant for the app, not for it.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port));
        builder.Logging.SetMinimumLevel(settings.MinimumLogLevel);
        // The host logs its start and stop failures, then throws them to our caller anyway
        // (a busy port, say): logging them too would only print each one twice.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddSingleton<IHostLifetime>(new EmbeddedHostLifetime());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mudbase.Emulator");

        app.Use(RequestIdMiddleware.InvokeAsync);
        // Around the error handling, so that a fault after processing acts on the answer the client
        // would have had, a 500 included; around the rate limits, so that a fault in place of
        // processing leaves no trace in them. Always in place, since SetChaos can turn chaos on later.
        app.Use(new ChaosMiddleware(chaos, settings.TimeProvider, logger, app.Lifetime.ApplicationStopping).InvokeAsync);
        app.Use(new ErrorHandlingMiddleware(logger).InvokeAsync);
        if (settings.EnableRateLimits)
        {
            app.Use(new RateLimitMiddleware(HostedRateLimits.Buckets, settings.TimeProvider).InvokeAsync);
        }

        // Socket.IO sends its own pings (and checks the pongs); WebSocket-level keep-alives would only add traffic.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.UseRouting();

        // Each area's state, over the shared store and under its one lock.
        var auth = new AuthState(store);
        var jwt = new JwtSigner(settings.TimeProvider);
        var sessions = new SessionIssuer(auth, ids, jwt, settings.TimeProvider, settings.AccessTokenLifetime, settings.RefreshTokenLifetime);
        var bearer = new BearerAuthenticator(auth, jwt);
        app.MapAuthEndpoints(store, auth, ids, sessions, bearer, settings.TimeProvider);
        app.MapDataEndpoints(store, data, bearer);
        app.MapStorageEndpoints(store, storage, bearer);
        FunctionEndpoints.Map(app, store, functions, bearer);
        var dataRequests = new DataRequests(store, data, new DataAuthenticator(bearer));
        var users = new UsersState(store, auth, settings.TimeProvider);
        UsersEndpoints.Map(app, new UsersEndpoints(store, users, bearer, new EmailVerificationMailer(store, auth, settings.TimeProvider), settings.TimeProvider));
        SearchEndpoints.Map(app, new SearchEndpoints(dataRequests));
        RolesEndpoints.Map(app, new RolesEndpoints(store, roles, dataRequests, bearer));
        app.Map(RealtimeEndpoint.Path, new RealtimeEndpoint(realtime, bearer).HandleAsync);
        app.MapGet(OutboxEndpoint.Path, new OutboxEndpoint(store).Handle);
        // Any other path or method, as the hosted service answers it.
        app.MapFallback("{**path}", () => ErrorResults.NotFound("Not found"));
        return app;
    }
}
