using Microsoft.Extensions.Options;
using Mudbase.Diagnostics;
using Mudbase.Emulator;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mudbase.Samples.WebApi;

/// <summary>Builds the app: the Mudbase client, the embedded emulator, OpenTelemetry and the endpoints.</summary>
internal static class SampleApp
{
    /// <summary>Builds the app from appsettings.json, the environment and <paramref name="args"/>; run it or start it.</summary>
    /// <param name="args">Command-line arguments, which override the configuration (for example <c>--urls=http://127.0.0.1:0</c>).</param>
    /// <returns>The app, not yet started. Running or disposing it stops the embedded emulator too.</returns>
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json next to the program, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Information and up (the SDK logs retries and refreshes at Information), without a line per request from
        // ASP.NET Core, nor IHttpClientFactory's four per call to Mudbase (the SDK logs its calls itself, at Debug).
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        // One client for the whole app (a singleton over IHttpClientFactory), its options bound from "Mudbase".
        builder.Services.AddMudbaseClient(builder.Configuration.GetSection("Mudbase"));
        builder.Services.AddSingleton<UserSessions>();

        if (builder.Configuration.GetValue("Emulator:Enabled", defaultValue: true))
        {
            // Bound from "Emulator" (EnableRateLimits, AccessTokenLifetime, …); Enabled is this sample's own switch.
            var emulatorOptions = builder.Configuration.GetSection("Emulator").Get<MudbaseEmulatorOptions>() ?? new();
            var emulator = await MudbaseEmulator.StartAsync(emulatorOptions);

            // Made by a factory, so the container owns it and stops it when the app is disposed.
            builder.Services.AddSingleton(_ => emulator);
            builder.Services.AddOptions<MudbaseClientOptions>().PostConfigure<MudbaseEmulator>((options, running) =>
            {
                options.BaseUrl = running.BaseUrl;
                options.ProjectId ??= running.NoVerificationProjectId;
            });
        }

        AddTelemetry(builder);

        // Who is calling: the X-Sample-User header, standing in for your real authentication. (AddAuthenticationCore:
        // AddAuthentication would add data protection, which writes keys to disk for cookies this sample has none of.)
        builder.Services.AddAuthenticationCore(options =>
        {
            options.AddScheme<SampleUserAuthentication>(SampleUserAuthentication.SchemeName, displayName: null);
            options.DefaultScheme = SampleUserAuthentication.SchemeName;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.MapUserEndpoints();

        // Reading the options validates them now, and (with the emulator) hands the emulator to the container.
        var mudbase = app.Services.GetRequiredService<IOptions<MudbaseClientOptions>>().Value;
        SampleLog.MudbaseServer(app.Logger, app.Services.GetService<MudbaseEmulator>() is null ? "Mudbase server" : "local Mudbase emulator", mudbase.BaseUrl, mudbase.ProjectId);
        return app;
    }

    /// <summary>
    /// Traces and metrics with OpenTelemetry: the SDK's ActivitySource and Meter are both named
    /// <see cref="MudbaseDiagnostics.Name"/>. Exported to the console unless Telemetry:ConsoleExporter is false.
    /// </summary>
    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var console = builder.Configuration.GetValue("Telemetry:ConsoleExporter", defaultValue: true);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("Mudbase.Samples.WebApi"))
            .WithTracing(tracing =>
            {
                // The incoming request's activity, with the SDK's mudbase.auth.* activities nested under it.
                tracing.AddAspNetCoreInstrumentation().AddSource(MudbaseDiagnostics.Name);
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                // mudbase.client.request.duration (in seconds; the SDK advises its buckets), .retries, .session.refreshes, .rate_limited
                metrics.AddMeter(MudbaseDiagnostics.Name);
                if (console)
                {
                    // Every 10 s rather than the default minute, so a few curl calls show up soon.
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000);
                }
            });
    }
}
