using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Mudbase;
using Mudbase.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Mudbase client in a service collection.</summary>
public static class MudbaseServiceCollectionExtensions
{
    /// <summary>The name of the IHttpClientFactory client whose handler chain Mudbase sends through.</summary>
    internal const string HttpClientName = "Mudbase.Client";

    /// <summary>
    /// Registers <see cref="IMudbaseClient"/> and <see cref="MudbaseClient"/> as singletons over IHttpClientFactory,
    /// with options validated at start-up. Safe to call twice and to inject into singletons.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the underlying HttpClient registration, to add message handlers or configure the primary handler.</returns>
    public static IHttpClientBuilder AddMudbaseClient(this IServiceCollection services, Action<MudbaseClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="IMudbaseClient"/> and <see cref="MudbaseClient"/> with options bound from
    /// <paramref name="configuration"/> (for example <c>builder.Configuration.GetSection("Mudbase")</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding <c>BaseUrl</c>, <c>ProjectId</c>, <c>ApiKey</c>, <c>Timeout</c>, <c>Retry</c>….</param>
    /// <returns>The builder of the underlying HttpClient registration.</returns>
    public static IHttpClientBuilder AddMudbaseClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<MudbaseClientOptions>(configuration);
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        // Only the handler chain of this registration is used (MudbaseClientOptions set the base URL and timeout).
        var builder = services.AddHttpClient(HttpClientName);
        if (services.Any(d => d.ServiceType == typeof(MudbaseClient)))
        {
            return builder; // registered already: nothing is added twice
        }

        // The factory's default handler follows redirects, which would carry X-API-Key to wherever they point.
        builder.ConfigurePrimaryHttpMessageHandler(static () => Mudbase.Http.MudbaseHttp.CreateDefaultHandler());
        // The factory's own request logs carry full URIs, and a reset token travels in a path: the SDK logs its calls itself.
        builder.RemoveAllLoggers();
        services.AddOptions<MudbaseClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MudbaseClientOptions>, MudbaseClientOptionsValidation>());
        services.TryAddSingleton(static sp => MudbaseClient.FromFactory(
            WithRegisteredServices(sp.GetRequiredService<IOptions<MudbaseClientOptions>>().Value, sp),
            sp.GetRequiredService<IHttpMessageHandlerFactory>(),
            HttpClientName,
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<IMudbaseClient>(static sp => sp.GetRequiredService<MudbaseClient>());
        return builder;
    }

    /// <summary>The container's session store and logger factory serve when the options name none.</summary>
    private static MudbaseClientOptions WithRegisteredServices(MudbaseClientOptions options, IServiceProvider services)
    {
        var copy = options.Clone();
        copy.SessionStore ??= services.GetService<Mudbase.Auth.IMudbaseSessionStore>();
        copy.LoggerFactory ??= services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>();
        return copy;
    }

    private sealed class MudbaseClientOptionsValidation : IValidateOptions<MudbaseClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, MudbaseClientOptions options)
        {
            var failures = OptionsValidator.Validate(options);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
