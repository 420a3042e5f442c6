using System.Text;
using Mudbase.Auth;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Sessions;

/// <summary>OAuth needs no request from the SDK: it builds the navigation URL and reads the callback.</summary>
public sealed class OAuthTests
{
    private static string Jwt(string json) =>
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";

    [Fact]
    public void The_oauth_url_names_provider_project_and_escaped_redirect()
    {
        using var client = new MudbaseClient(new MudbaseClientOptions { ProjectId = Wire.ProjectId });

        var url = client.Auth.GetOAuthUrl("google", new Uri("myapp://auth/callback?from=login"));

        Assert.Equal(
            $"https://cloud.mudbase.dev/api/auth/oauth/google/{Wire.ProjectId}?redirect_url=myapp%3A%2F%2Fauth%2Fcallback%3Ffrom%3Dlogin",
            url.AbsoluteUri);
    }

    [Fact]
    public void The_callback_url_becomes_the_current_session()
    {
        using var client = new MudbaseClient(new MudbaseClientOptions { ProjectId = Wire.ProjectId });
        var token = Jwt("""{"id":"685acbe0e129932fbb7a0fc2","email":"ada@northwind.dev","iat":1700000000,"exp":1700001800}""");
        var changes = new List<SessionChangeReason>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e.Reason);

        var session = client.Auth.ParseOAuthCallback(new Uri($"https://app.northwind.dev/callback?token={token}&refreshToken=rt-1&expiresIn=1800"));

        Assert.Equal(token, session.Token);
        Assert.Equal("rt-1", session.RefreshToken);
        Assert.Equal(1800, session.ExpiresIn);
        Assert.Equal("685acbe0e129932fbb7a0fc2", session.User.Id);
        Assert.Equal("ada@northwind.dev", session.User.Email);
        Assert.Same(session, client.Auth.CurrentSession);
        Assert.Equal([SessionChangeReason.SignedIn], changes);
    }

    [Theory]
    [InlineData("https://app.northwind.dev/callback")]
    [InlineData("https://app.northwind.dev/callback?token=abc")]
    [InlineData("https://app.northwind.dev/callback?refreshToken=abc")]
    public void A_callback_without_tokens_is_an_argument_error(string url)
    {
        using var client = new MudbaseClient(new MudbaseClientOptions { ProjectId = Wire.ProjectId });

        var ex = Assert.Throws<ArgumentException>(() => client.Auth.ParseOAuthCallback(new Uri(url)));

        Assert.Equal("callbackUrl", ex.ParamName);
        Assert.Null(client.Auth.CurrentSession);
    }

    [Fact]
    public void A_callback_with_a_provider_error_says_so()
    {
        using var client = new MudbaseClient(new MudbaseClientOptions { ProjectId = Wire.ProjectId });

        var ex = Assert.Throws<MudbaseAuthenticationException>(() =>
            client.Auth.ParseOAuthCallback(new Uri("https://app.northwind.dev/callback?error=access_denied&error_description=User+cancelled")));

        Assert.Contains("access_denied: User cancelled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_oauth_arguments_fail_naming_the_parameter()
    {
        using var client = new MudbaseClient(new MudbaseClientOptions());

        Assert.Equal("provider", Assert.Throws<ArgumentException>(() => client.Auth.GetOAuthUrl(" ", new Uri("https://a.dev/cb"), Wire.ProjectId)).ParamName);
        Assert.Equal("redirectUrl", Assert.Throws<ArgumentException>(() => client.Auth.GetOAuthUrl("google", new Uri("/cb", UriKind.Relative), Wire.ProjectId)).ParamName);
        Assert.Equal("projectId", Assert.Throws<ArgumentException>(() => client.Auth.GetOAuthUrl("google", new Uri("https://a.dev/cb"))).ParamName);
    }
}
