using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mudbase.Auth;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Faults;

/// <summary>
/// Every public call given each kind of bad text (null, empty, whitespace, very long, a lone surrogate, a control
/// character): an ArgumentException naming the parameter, and nothing sent.
/// </summary>
[Trait("Category", "Faults")]
public sealed class BadInputTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public BadInputTests() => _server.AnswerAll(Wire.Json(200, Bodies.AnonymousSession()));

    public void Dispose() => _server.Dispose();

    public static readonly string[] BadTexts = [null!, "", "   ", new string('a', Guard_MaxTokenLength + 1), "ab\uD800cd", "a\u0000b", "line\nbreak", "\uDC00"];

    private const int Guard_MaxTokenLength = 16 * 1024; // longer than any limit: every field refuses it

    /// <summary>Each public call with one text parameter made bad, and the name it must report.</summary>
    private static readonly (string Param, Func<IMudbaseAuth, string, Task> Call)[] Calls =
    [
        ("request.Email", (a, v) => a.RegisterAsync(new RegisterRequest { Email = v, Password = "Passw0rd!", FirstName = "A", LastName = "B" })),
        ("request.Password", (a, v) => a.RegisterAsync(new RegisterRequest { Email = "a@northwind.dev", Password = v, FirstName = "A", LastName = "B" })),
        ("request.FirstName", (a, v) => a.RegisterAsync(new RegisterRequest { Email = "a@northwind.dev", Password = "Passw0rd!", FirstName = v, LastName = "B" })),
        ("request.LastName", (a, v) => a.RegisterAsync(new RegisterRequest { Email = "a@northwind.dev", Password = "Passw0rd!", FirstName = "A", LastName = v })),
        ("role", (a, v) => a.RegisterWithRoleAsync(v, new RegisterWithRoleRequest { Email = "a@northwind.dev", Password = "Passw0rd!", FirstName = "A", LastName = "B", AgreedToTerms = true })),
        ("request.Email", (a, v) => a.LoginAsync(new LoginRequest { Email = v, Password = "Passw0rd!" })),
        ("request.Password", (a, v) => a.LoginAsync(new LoginRequest { Email = "a@northwind.dev", Password = v })),
        ("request.Email", (a, v) => a.ConvertAnonymousAsync(new ConvertAnonymousRequest { Email = v, Password = "Passw0rd!" })),
        ("request.Password", (a, v) => a.ConvertAnonymousAsync(new ConvertAnonymousRequest { Email = "a@northwind.dev", Password = v })),
        ("token", (a, v) => a.VerifyEmailAsync(v)),
        ("email", (a, v) => a.ResendVerificationAsync(v)),
        ("email", (a, v) => a.RequestPasswordResetAsync(v)),
        ("request.Otp", (a, v) => a.ConfirmPasswordResetAsync(new ConfirmPasswordResetRequest { Email = "a@northwind.dev", Otp = v, NewPassword = "Passw0rd!" })),
        ("request.NewPassword", (a, v) => a.ConfirmPasswordResetAsync(new ConfirmPasswordResetRequest { Email = "a@northwind.dev", Otp = "123456", NewPassword = v })),
        ("token", (a, v) => a.ResetPasswordAsync(v, "Passw0rd!")),
        ("newPassword", (a, v) => a.ResetPasswordAsync("token", v)),
        ("email", (a, v) => a.SendMagicLinkAsync(v)),
        ("token", (a, v) => a.VerifyMagicLinkAsync(v)),
        ("destination", (a, v) => a.SendOtpAsync(OtpChannel.Email, v)),
        ("identifier", (a, v) => a.VerifyOtpAsync(v, "123456")),
        ("otp", (a, v) => a.VerifyOtpAsync("a@northwind.dev", v)),
    ];

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        for (var call = 0; call < Calls.Length; call++)
        {
            for (var text = 0; text < BadTexts.Length; text++)
            {
                data.Add(call, text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_text_fails_naming_the_parameter_and_sends_nothing(int call, int text)
    {
        using var client = _server.Client();
        var (param, invoke) = Calls[call];

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => invoke(client.Auth, BadTexts[text]));

        Assert.Equal(param, ex.ParamName);
        Assert.Empty(_server.Requests());
        if (BadTexts[text] is { Length: > 0 } value && value.Trim().Length > 0)
        {
            Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal); // a bad value may be a password: never echoed
        }
    }

    [Theory]
    [InlineData("myapp/relative")]
    [InlineData("/callback")]
    public void A_relative_redirect_url_is_refused(string url)
    {
        using var client = _server.Client();

        var ex = Assert.Throws<ArgumentException>(() => client.Auth.GetOAuthUrl("google", new Uri(url, UriKind.Relative)));

        Assert.Equal("redirectUrl", ex.ParamName);
    }

    public static TheoryData<string, Action<MudbaseClientOptions>> BadOptions() => new()
    {
        { "BaseUrl", o => o.BaseUrl = new Uri("ftp://files.northwind.dev/") },
        { "BaseUrl", o => o.BaseUrl = new Uri("https://user:secret@cloud.mudbase.dev/") },
        { "BaseUrl", o => o.BaseUrl = new Uri("http://cloud.mudbase.dev/") },
        { "ProjectId", o => o.ProjectId = "abc\u0001" },
        { "ApiKey", o => o.ApiKey = "ak_\uD800" },
        { "Timeout", o => o.Timeout = TimeSpan.FromTicks(-1) },
        { "Timeout", o => o.Timeout = TimeSpan.FromDays(2) },
        { "RefreshSkew", o => o.RefreshSkew = TimeSpan.FromSeconds(-1) },
        { "Retry.MaxRetries", o => o.Retry.MaxRetries = int.MaxValue },
        { "Retry.BaseDelay", o => o.Retry.BaseDelay = TimeSpan.MinValue },
        { "Retry.MaxRetryAfter", o => o.Retry.MaxRetryAfter = TimeSpan.MaxValue },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_values_fail_the_constructor_and_the_container_naming_the_option(string option, Action<MudbaseClientOptions> spoil)
    {
        var options = Wire.Options(_server.BaseUrl());
        spoil(options);

        var direct = Assert.Throws<ArgumentException>(() => new MudbaseClient(options));
        Assert.Equal("options", direct.ParamName);
        Assert.Contains(option, direct.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", direct.Message, StringComparison.Ordinal);

        var services = new ServiceCollection();
        services.AddMudbaseClient(o =>
        {
            o.BaseUrl = options.BaseUrl;
            o.ProjectId = options.ProjectId;
            o.ApiKey = options.ApiKey;
            o.Timeout = options.Timeout;
            o.RefreshSkew = options.RefreshSkew;
            o.Retry = options.Retry;
        });
        using var provider = services.BuildServiceProvider();
        var viaContainer = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMudbaseClient>());
        Assert.Contains(viaContainer.Failures, f => f.StartsWith(option, StringComparison.Ordinal));
        Assert.Empty(_server.Requests());
    }
}
