using System.Net;
using Mudbase.Auth;
using Mudbase.Roles;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary><c>client.Roles</c> on the wire (CONTRACT.md, Multi-role): paths and bodies, answer shapes, the refresh after an approved elevation, errors and argument checks.</summary>
public sealed class RolesContractTests : IDisposable
{
    private static readonly string Base = $"/api/projects/{Wire.ProjectId}";
    private const string RefreshPath = "/api/auth/refresh";
    private const string Refreshed = """{"message":"Token refreshed successfully","token":"eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjY4NWFjYmUwIn0.cmVmcmVzaGVk","refreshToken":"rt_next","expiresIn":1800}""";
    private const string Approved = """{"message":"Role elevation approved","requestId":"6862a1f0e129932fbb7a3001","workflow":"auto_approved","status":"approved","nextSteps":[]}""";

    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private List<WireMock.IRequestMessage> RoleRequests() => _server.Requests().Where(r => r.Path.StartsWith(Base, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task The_reads_send_their_paths_and_read_every_field()
    {
        _server.Answer(Base + "/multi-role/roles/available", Wire.Json(200,
            """{"success":true,"data":[{"slug":"vendor","name":"Vendor","description":"Sells","signupEndpoint":"vendor-signup","requiresApproval":true,"requiresPayment":false,"requiresKYC":true,"extra":1}]}"""));
        _server.Answer(Base + "/multi-role", Wire.Json(200,
            """{"success":true,"data":{"isEnabled":true,"defaultRole":"customer","settings":{"allowMultipleRoles":false},"roles":[{"slug":"customer","isEnabled":false,"isCustom":false,"privilegeLevel":1}]}}"""));
        _server.Answer(Base + "/permissions-matrix", Wire.Json(200,
            """{"success":true,"data":{"collections":[{"id":"c1","name":"orders","slug":"orders","permissions":[{"role":"customer","actions":["read"],"hasConditions":true,"dataScope":"own","ownerField":"userId"}]}],"roles":[{"slug":"customer","name":"Customer"}],"features":[{"slug":"chat"}]}}"""));
        using var client = await _server.SignedInClientAsync();

        var available = Assert.Single(await client.Roles.GetAvailableAsync(cancellationToken: Wire.Ct));
        var configuration = await client.Roles.GetConfigurationAsync(cancellationToken: Wire.Ct);
        var matrix = await client.Roles.GetPermissionsMatrixAsync(cancellationToken: Wire.Ct);

        Assert.Equal(["GET", "GET", "GET"], RoleRequests().Select(r => r.Method));
        Assert.All(RoleRequests(), r => Assert.Equal("Bearer " + Bodies.AccessToken, r.Header("Authorization")));
        Assert.Equal(("vendor", "vendor-signup", true, false, true), (available.Slug, available.SignupEndpoint, available.RequiresApproval, available.RequiresPayment, available.RequiresKyc));
        Assert.Equal(1, available.AdditionalProperties["extra"].GetInt32());
        Assert.Equal((true, "customer", false, 1), (configuration.IsEnabled, configuration.DefaultRole, configuration.Roles[0].IsEnabled, configuration.Roles[0].PrivilegeLevel));
        Assert.False((bool?)configuration.Settings?["allowMultipleRoles"]);
        var access = Assert.Single(Assert.Single(matrix.Collections).Permissions);
        Assert.Equal(("customer", true, "own", "userId"), (access.Role, access.HasConditions, access.DataScope, access.OwnerField));
        Assert.Equal("Customer", Assert.Single(matrix.Roles).Name);
        Assert.Single(matrix.Features);
    }

    [Fact]
    public async Task An_approved_elevation_sends_the_slug_then_refreshes_into_the_role()
    {
        _server.Answer(Base + "/role-elevation/request", Wire.Json(200, Approved));
        _server.Answer(RefreshPath, Wire.Json(200, Refreshed));
        using var client = await _server.SignedInClientAsync();
        var changes = new List<SessionChangedEventArgs>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e);

        var result = await client.Roles.RequestElevationAsync("customer", cancellationToken: Wire.Ct);

        var sent = Assert.Single(RoleRequests());
        Assert.Equal(("POST", """{"roleSlug":"customer"}"""), (sent.Method, sent.Body));
        Assert.Equal($$"""{"refreshToken":"{{Bodies.RefreshToken}}"}""", Assert.Single(_server.Requests(), r => r.Path == RefreshPath).Body);
        Assert.Equal((ElevationStatus.Approved, ElevationWorkflow.AutoApproved, "6862a1f0e129932fbb7a3001"), (result.Status, result.Workflow, result.RequestId));
        Assert.Equal(("rt_next", "customer"), (result.Session!.RefreshToken, result.Session.User.CustomRole));
        Assert.Same(result.Session, client.Auth.CurrentSession);
        var change = Assert.Single(changes);
        Assert.Equal((SessionChangeReason.Refreshed, "customer"), (change.Reason, change.Session!.User.CustomRole));
    }

    [Fact]
    public async Task A_pending_elevation_does_not_refresh()
    {
        _server.Answer(Base + "/role-elevation/request", Wire.Json(200,
            """{"data":{"message":"Submitted","requestId":"r1","workflow":"pending_admin_approval","status":"pending","nextSteps":["Wait",{"upload":"license"}],"estimatedApprovalTime":"1-2 days"}}"""));
        using var client = await _server.SignedInClientAsync();
        var session = client.Auth.CurrentSession;

        var result = await client.Roles.RequestElevationAsync("vendor", cancellationToken: Wire.Ct);

        Assert.Equal((ElevationStatus.Pending, ElevationWorkflow.PendingAdminApproval, "1-2 days"), (result.Status, result.Workflow, result.EstimatedApprovalTime));
        Assert.Equal(["Wait", """{"upload":"license"}"""], result.NextSteps);
        Assert.Null(result.Session);
        Assert.Same(session, client.Auth.CurrentSession);
        Assert.DoesNotContain(_server.Requests(), r => r.Path == RefreshPath);
    }

    [Fact]
    public async Task An_approval_whose_refresh_fails_on_the_network_is_still_reported_approved()
    {
        _server.Answer(Base + "/role-elevation/request", Wire.Json(200, Approved));
        _server.Answer(RefreshPath, Wire.Json(503, """{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}"""));
        using var client = await _server.SignedInClientAsync(configure: o => o.Retry.MaxRetries = 0);
        var session = client.Auth.CurrentSession;

        var result = await client.Roles.RequestElevationAsync("customer", cancellationToken: Wire.Ct);

        Assert.Equal(ElevationStatus.Approved, result.Status);
        Assert.Null(result.Session);
        Assert.Same(session, client.Auth.CurrentSession);
    }

    [Fact]
    public async Task An_elevation_request_whose_answer_is_lost_is_not_sent_again()
    {
        _server.Answer(Base + "/role-elevation/request", Wire.Json(200, Approved));
        using var lossy = LostAnswerHandler.Client(_server, drops: 1);
        var client = lossy.WithSession(HandMadeSession.Fresh());

        await Assert.ThrowsAsync<MudbaseTransportException>(() => client.Roles.RequestElevationAsync("customer", cancellationToken: Wire.Ct));

        Assert.Single(RoleRequests());
    }

    [Fact]
    public async Task The_status_of_one_role_once_approved_refreshes_into_it()
    {
        _server.Answer(Base + "/role-elevation/status", Wire.Json(200,
            """{"requests":[{"_id":"r0","roleSlug":"vendor","status":"rejected","workflow":"manual_approval","createdAt":"2025-06-01T00:00:00.000Z"},{"_id":"r1","roleSlug":"vendor","status":"approved","workflow":"pending_admin_approval","createdAt":"2025-07-01T00:00:00.000Z"}]}"""));
        _server.Answer(RefreshPath, Wire.Json(200, Refreshed));
        using var client = await _server.SignedInClientAsync();

        var all = await client.Roles.GetElevationStatusAsync(cancellationToken: Wire.Ct);
        Assert.DoesNotContain(_server.Requests(), r => r.Path == RefreshPath);
        var vendor = await client.Roles.GetElevationStatusAsync("vendor", cancellationToken: Wire.Ct);

        Assert.Equal([("r0", ElevationStatus.Rejected, ElevationWorkflow.ManualApproval), ("r1", ElevationStatus.Approved, ElevationWorkflow.PendingAdminApproval)],
            all.Select(e => (e.Id, e.Status, e.Workflow)));
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), vendor[1].CreatedAt);
        Assert.False(RoleRequests()[0].HasQuery("roleSlug"));
        Assert.Equal([("roleSlug", "vendor")], RoleRequests()[1].QueryPairs());
        Assert.Equal("vendor", client.Auth.CurrentSession!.User.CustomRole);
    }

    [Fact]
    public async Task Documents_are_sent_as_urls_and_an_empty_success_will_do()
    {
        _server.Answer(Base + "/role-elevation/documents", WireMock.ResponseBuilders.Response.Create().WithStatusCode(200));
        using var client = await _server.SignedInClientAsync();

        await client.Roles.UploadElevationDocumentsAsync("vendor",
            [new ElevationDocument("business_license", new Uri("https://files.northwind.dev/l.pdf")), new ElevationDocument("id", new Uri("https://files.northwind.dev/i.png"))], cancellationToken: Wire.Ct);

        Assert.Equal("""{"roleSlug":"vendor","documents":[{"type":"business_license","url":"https://files.northwind.dev/l.pdf"},{"type":"id","url":"https://files.northwind.dev/i.png"}]}""",
            Assert.Single(RoleRequests()).Body);
    }

    [Theory]
    [InlineData(400, """{"error":"User already has this role"}""", typeof(MudbaseValidationException))]
    [InlineData(403, """{"required":["owner","admin"],"current":"viewer"}""", typeof(MudbaseForbiddenException))]
    [InlineData(404, """{"error":"Role not found"}""", typeof(MudbaseNotFoundException))]
    public async Task Error_bodies_become_their_exceptions(int status, string body, Type expected)
    {
        _server.Answer(Base + "/role-elevation/request", Wire.Json(status, body));
        using var client = await _server.SignedInClientAsync();

        var ex = await Errors.CatchAsync(() => client.Roles.RequestElevationAsync("vendor", cancellationToken: Wire.Ct));

        Assert.IsType(expected, ex);
        Assert.NotNull(client.Auth.CurrentSession);
    }

    [Theory]
    [InlineData("/role-elevation/request", """{"message":"ok"}""")]
    [InlineData("/multi-role", """{"success":true}""")]
    [InlineData("/multi-role/roles/available", """{"success":true,"data":{}}""")]
    public async Task A_strange_answer_is_a_mudbase_exception(string path, string body)
    {
        _server.Answer(Base + path, Wire.Json(200, body));
        using var client = await _server.SignedInClientAsync();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => path switch
        {
            "/multi-role" => client.Roles.GetConfigurationAsync(cancellationToken: Wire.Ct),
            "/multi-role/roles/available" => client.Roles.GetAvailableAsync(cancellationToken: Wire.Ct),
            _ => client.Roles.RequestElevationAsync("vendor", cancellationToken: Wire.Ct),
        });

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Errors.AssertNoRefitTypes(ex);
    }

    [Fact]
    public async Task The_elevation_calls_need_a_user_and_bad_arguments_send_nothing()
    {
        using var client = _server.Client(o => o.ApiKey = "ak_test_key");

        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Roles.RequestElevationAsync("vendor", cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Roles.GetElevationStatusAsync(cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Roles.RequestElevationAsync(" ", cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Roles.GetElevationStatusAsync("", cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Roles.UploadElevationDocumentsAsync("vendor", [], cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Roles.UploadElevationDocumentsAsync("vendor", [null!], cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.Roles.UploadElevationDocumentsAsync("vendor", [new ElevationDocument("id", new Uri("/i.png", UriKind.Relative))], cancellationToken: Wire.Ct));
        Assert.Throws<ArgumentException>(() => client.Roles.GetOAuthSignupUrl("vendor", "google", new Uri("/done", UriKind.Relative)));

        Assert.Empty(_server.Requests());
    }
}
