using Mudbase.Auth;
using Mudbase.Emulator;
using Mudbase.Roles;

namespace Mudbase.Tests.Integration;

/// <summary><c>client.Roles</c> end to end: the emulator's roles, an elevation approved at once and one an admin approves later, each refreshed into the session.</summary>
public sealed class RolesFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    private async Task<MudbaseClient> SignedUpAsync()
    {
        var client = fixture.CreateClient(Emulator.NoVerificationProjectId);
        await client.Auth.RegisterAsync(
            new RegisterRequest { Email = EmulatorFixture.NewEmail("ada"), Password = "Sup3r-secret-pw", FirstName = "Ada", LastName = "Lovelace" }, Ct);
        return client;
    }

    [Fact]
    public async Task The_roles_configuration_and_matrix_describe_the_project()
    {
        using var client = await SignedUpAsync();
        var name = "orders_" + Guid.NewGuid().ToString("N")[..8];
        var orders = new EmulatorCollectionOptions(name) { Fields = { new EmulatorCollectionField("userId", "string") } };
        orders.Permissions.Add(new EmulatorCollectionGrant("customer", "create", "read") { Condition = new() { ["userId"] = "$userId" } });
        Emulator.CreateCollection(orders, Emulator.NoVerificationProjectId);

        var available = await client.Roles.GetAvailableAsync(cancellationToken: Ct);
        var configuration = await client.Roles.GetConfigurationAsync(cancellationToken: Ct);
        var matrix = await client.Roles.GetPermissionsMatrixAsync(cancellationToken: Ct);

        Assert.Equal(["customer", "vendor"], available.Select(r => r.Slug));
        Assert.Equal([false, true], available.Select(r => r.RequiresApproval));
        Assert.Equal("vendor", available[1].SignupEndpoint);
        Assert.True(configuration.IsEnabled);
        Assert.Equal("customer", configuration.DefaultRole);
        Assert.All(configuration.Roles, r => Assert.True(r.IsEnabled));
        Assert.Equal("userId", (string?)configuration.Settings?["dataOwnerField"]);
        var access = Assert.Single(Assert.Single(matrix.Collections, c => c.Name == name).Permissions);
        Assert.Equal(("customer", true, "own", "userId"), (access.Role, access.HasConditions, access.DataScope, access.OwnerField));
        Assert.Equal(["create", "read"], access.Actions);
        Assert.Equal(["customer", "vendor"], matrix.Roles.Select(r => r.Slug));
    }

    [Fact]
    public async Task An_elevation_approved_at_once_refreshes_the_session_into_the_new_role()
    {
        using var client = await SignedUpAsync();
        var before = client.Auth.CurrentSession!;
        var changes = new List<SessionChangedEventArgs>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e);
        var refreshes = Emulator.GetStatistics().RefreshRequests;

        var result = await client.Roles.RequestElevationAsync("customer", cancellationToken: Ct);

        Assert.Equal((ElevationStatus.Approved, ElevationWorkflow.AutoApproved), (result.Status, result.Workflow));
        Assert.NotNull(result.RequestId);
        Assert.Same(client.Auth.CurrentSession, result.Session);
        Assert.NotEqual(before.Token, result.Session!.Token);
        Assert.Equal("customer", result.Session.User.CustomRole);
        Assert.Equal(before.User.Id, result.Session.User.Id);
        var change = Assert.Single(changes);
        Assert.Equal(SessionChangeReason.Refreshed, change.Reason);
        Assert.Equal("customer", change.Session!.User.CustomRole);
        Assert.Equal(refreshes + 1, Emulator.GetStatistics().RefreshRequests);
        Assert.Equal("customer", (await client.Users.GetMeAsync(Ct)).CustomRole);
        await Assert.ThrowsAsync<MudbaseValidationException>(() => client.Roles.RequestElevationAsync("customer", cancellationToken: Ct));
    }

    [Fact]
    public async Task An_elevation_approved_later_reaches_the_session_when_its_status_is_read()
    {
        using var client = await SignedUpAsync();
        var changes = new List<SessionChangedEventArgs>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e);

        var pending = await client.Roles.RequestElevationAsync("vendor", cancellationToken: Ct);
        await client.Roles.UploadElevationDocumentsAsync("vendor", [new ElevationDocument("business_license", new Uri("https://files.northwind.dev/license.pdf"))], cancellationToken: Ct);
        var waiting = await client.Roles.GetElevationStatusAsync("vendor", cancellationToken: Ct);
        Assert.Empty(changes);
        Emulator.ApproveElevation(pending.RequestId!);
        var approved = await client.Roles.GetElevationStatusAsync("vendor", cancellationToken: Ct);

        Assert.Equal((ElevationStatus.Pending, ElevationWorkflow.PendingAdminApproval), (pending.Status, pending.Workflow));
        Assert.Null(pending.Session);
        Assert.NotEmpty(pending.NextSteps);
        Assert.Equal(pending.RequestId, Assert.Single(waiting).Id);
        Assert.Equal(ElevationStatus.Pending, waiting[0].Status);
        Assert.Equal(ElevationStatus.Approved, Assert.Single(approved).Status);
        var change = Assert.Single(changes);
        Assert.Equal(SessionChangeReason.Refreshed, change.Reason);
        Assert.Equal("vendor", client.Auth.CurrentSession!.User.CustomRole);
        Assert.Throws<ArgumentException>(() => Emulator.ApproveElevation(pending.RequestId!));
    }

    [Fact]
    public async Task An_unknown_role_is_not_found_and_documents_need_a_pending_request()
    {
        using var client = await SignedUpAsync();

        await Assert.ThrowsAsync<MudbaseNotFoundException>(() => client.Roles.RequestElevationAsync("admin", cancellationToken: Ct));
        await Assert.ThrowsAsync<MudbaseNotFoundException>(() =>
            client.Roles.UploadElevationDocumentsAsync("vendor", [new ElevationDocument("id", new Uri("https://files.northwind.dev/id.png"))], cancellationToken: Ct));
    }

    [Fact]
    public void The_oauth_signup_url_is_built_without_a_request()
    {
        using var client = fixture.CreateClient();

        var url = client.Roles.GetOAuthSignupUrl("vendor", "google", new Uri("https://app.northwind.dev/done?x=1"));

        Assert.Equal(new Uri(Emulator.BaseUrl, $"api/auth/oauth/signup/vendor/google/{Emulator.DefaultProjectId}?redirect_url=https%3A%2F%2Fapp.northwind.dev%2Fdone%3Fx%3D1"), url);
    }
}
