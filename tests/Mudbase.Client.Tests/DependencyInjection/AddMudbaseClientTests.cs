using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mudbase.Tests.Integration;

namespace Mudbase.Tests.DependencyInjection;

public sealed class AddMudbaseClientTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_registered_with_an_action_serves_calls_against_the_emulator()
    {
        var services = new ServiceCollection();
        services.AddMudbaseClient(o =>
        {
            o.BaseUrl = fixture.Emulator.BaseUrl;
            o.ProjectId = fixture.Emulator.DefaultProjectId;
        });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var client = provider.GetRequiredService<IMudbaseClient>();
        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);

        Assert.Same(provider.GetRequiredService<MudbaseClient>(), client);
        Assert.True(session.User.IsAnonymous);
    }

    [Fact]
    public async Task A_client_bound_from_configuration_uses_every_bound_value()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mudbase:BaseUrl"] = fixture.Emulator.BaseUrl.ToString(),
            ["Mudbase:ProjectId"] = fixture.Emulator.NoVerificationProjectId,
            ["Mudbase:ApiKey"] = "ak_configured",
            ["Mudbase:Timeout"] = "00:00:07",
            ["Mudbase:Retry:MaxRetries"] = "2",
            ["Mudbase:Retry:BaseDelay"] = "00:00:00.250",
            ["Mudbase:Retry:MaxDelay"] = "00:00:04",
            ["Mudbase:Retry:MaxRetryAfter"] = "00:00:03",
        }).Build();
        var services = new ServiceCollection();
        services.AddMudbaseClient(configuration.GetSection("Mudbase"));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<MudbaseClient>();
        var result = await client.Auth.RegisterAsync(new() { Email = EmulatorFixture.NewEmail(), Password = "Str0ng_Pass!", FirstName = "C", LastName = "Fg" }, Ct);

        Assert.NotNull(result.Session); // the no-verification project came from configuration
        var options = client.Options;
        Assert.Equal("ak_configured", options.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Timeout);
        Assert.Equal(2, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(4), options.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Retry.MaxRetryAfter);
    }

    [Fact]
    public async Task Invalid_options_fail_at_resolution_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddMudbaseClient(o => o.Timeout = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMudbaseClient>());

        Assert.Contains(ex.Failures, f => f.StartsWith("Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_in_configuration_names_its_path()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mudbase:Retry:MaxRetries"] = "three",
        }).Build();
        var services = new ServiceCollection();
        services.AddMudbaseClient(configuration.GetSection("Mudbase"));
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMudbaseClient>());

        Assert.Contains("Mudbase:Retry:MaxRetries", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_twice_registers_each_service_once()
    {
        var services = new ServiceCollection();
        services.AddMudbaseClient(o => o.ProjectId = "685ad30be129932fbb7a1047");
        services.AddMudbaseClient(o => o.ApiKey = "ak_second");

        Assert.Single(services, d => d.ServiceType == typeof(IMudbaseClient));
        Assert.Single(services, d => d.ServiceType == typeof(MudbaseClient));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<MudbaseClientOptions>) && d.ImplementationType?.DeclaringType == typeof(MudbaseServiceCollectionExtensions));
    }

    [Fact]
    public async Task Handlers_added_to_the_returned_builder_see_every_attempt()
    {
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        services.AddMudbaseClient(o =>
            {
                o.BaseUrl = fixture.Emulator.BaseUrl;
                o.ProjectId = fixture.Emulator.DefaultProjectId;
            })
            .AddHttpMessageHandler(() => counter);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IMudbaseClient>();

        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);

        Assert.Equal(2, counter.Count);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
