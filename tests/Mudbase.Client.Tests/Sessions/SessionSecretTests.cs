using Mudbase.Auth;

namespace Mudbase.Tests.Sessions;

/// <summary>The requests and results of the session calls never show a password, code or token.</summary>
public sealed class SessionSecretTests
{
    private const string Secret = "S3cret-value-XYZ";

    public static TheoryData<object> Models() => new()
    {
        new LoginRequest { Email = "ada@northwind.dev", Password = Secret },
        new RegisterWithRoleRequest { Email = "ada@northwind.dev", Password = Secret, FirstName = "A", LastName = "L", AgreedToTerms = true },
        new ConvertAnonymousRequest { Email = "ada@northwind.dev", Password = Secret },
        new ConfirmPasswordResetRequest { Email = "ada@northwind.dev", Otp = Secret, NewPassword = Secret },
        new AuthSession(Secret, Secret, 60, DateTimeOffset.UtcNow, new MudbaseUser("u1", "ada@northwind.dev")),
        new RegisterResult(false, null, new AuthSession(Secret, Secret, 60, DateTimeOffset.UtcNow, new MudbaseUser("u1", "ada@northwind.dev"))),
        new SessionChangedEventArgs(new AuthSession(Secret, Secret, 60, DateTimeOffset.UtcNow, new MudbaseUser("u1", "ada@northwind.dev")), SessionChangeReason.Refreshed),
        new FileSessionStore("/tmp/mudbase-session.json"),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ToString_never_shows_the_secret(object model)
    {
        var text = model.ToString()!;

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(text));
    }
}
