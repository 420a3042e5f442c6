using System.Net;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>The bucket routes: reads for any credential, writes for the API key only; the default bucket; CreateBucket in code.</summary>
public sealed class StorageBucketTests(StorageEmulatorFixture fixture) : IClassFixture<StorageEmulatorFixture>
{
    private const string OrgOnly = """{"required":["owner","admin","developer"],"current":"viewer"}""";

    private MudbaseEmulator Emulator => fixture.Emulator;

    private StorageApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    [Fact]
    public async Task Every_project_has_a_default_bucket_that_a_user_can_list_and_read()
    {
        var project = Emulator.CreateProject(requireEmailVerification: false);
        var guest = await Api.GuestAsync(project);

        var list = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(project), guest);

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.True(list.Json.GetProperty("success").GetBoolean());
        var bucket = Assert.Single(list.Json.GetProperty("buckets").EnumerateArray());
        Assert.Equal(["_id", "name", "projectId", "isPublic", "settings", "createdAt", "updatedAt"], StorageApi.Fields(bucket));
        Assert.Equal("default", bucket.GetProperty("name").GetString());
        Assert.Equal(project, bucket.GetProperty("projectId").GetString());
        Assert.False(bucket.GetProperty("isPublic").GetBoolean());
        Assert.Equal(Emulator.FindBucketId(projectId: project), bucket.GetProperty("_id").GetString());
        Assert.Equal("""{"page":1,"limit":20,"total":1,"totalPages":1,"hasMore":false}""", list.Json.GetProperty("pagination").GetRawText());

        var get = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(project, bucket.GetProperty("_id").GetString()), guest);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(["success", "message", "bucket"], StorageApi.Fields(get.Json));
        Assert.Equal(bucket.GetRawText(), get.Json.GetProperty("bucket").GetRawText());
    }

    [Fact]
    public async Task Create_update_and_delete_with_the_api_key()
    {
        var name = DataApi.NewName("photos");
        var created = await Api.SendAsync(HttpMethod.Post, StorageApi.BucketsPath(Project), Api.Key(), $$$"""{"name":"{{{name}}}","isPublic":true,"settings":{"maxFileSize":1024}}""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Bucket created successfully", created.Json.GetProperty("message").GetString());
        var id = created.Json.GetProperty("bucket").GetProperty("_id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.True(created.Json.GetProperty("bucket").GetProperty("isPublic").GetBoolean());
        Assert.Equal("""{"maxFileSize":1024}""", created.Json.GetProperty("bucket").GetProperty("settings").GetRawText());

        var updated = await Api.SendAsync(HttpMethod.Patch, StorageApi.BucketsPath(Project, id), Api.Key(), """{"isPublic":false}""");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("Bucket updated successfully", updated.Json.GetProperty("message").GetString());
        Assert.False(updated.Json.GetProperty("bucket").GetProperty("isPublic").GetBoolean());
        Assert.Equal(name, updated.Json.GetProperty("bucket").GetProperty("name").GetString());

        var fileId = await Api.SeedFileAsync(id, "a.txt", [1, 2, 3]);
        var deleted = await Api.SendAsync(HttpMethod.Delete, StorageApi.BucketsPath(Project, id), Api.Key());
        Assert.Equal((HttpStatusCode.OK, """{"message":"Bucket deleted successfully"}"""), (deleted.Status, deleted.Body));
        var afterwards = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(Project, id), Api.Key());
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"Bucket not found"}"""), (afterwards.Status, afterwards.Body));
        // Its files went with it.
        var download = await Api.SendAsync(HttpMethod.Get, $"api/files/download/{fileId}", Api.Key());
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"File not found"}"""), (download.Status, download.Body));
    }

    [Fact]
    public async Task Bucket_writes_are_org_calls_a_users_token_gets_403_without_an_error_key()
    {
        var bucket = Api.NewBucket();
        var guest = await Api.GuestAsync();

        var create = await Api.SendAsync(HttpMethod.Post, StorageApi.BucketsPath(Project), guest, """{"name":"mine"}""");
        var update = await Api.SendAsync(HttpMethod.Patch, StorageApi.BucketsPath(Project, bucket), guest, """{"name":"renamed"}""");
        var delete = await Api.SendAsync(HttpMethod.Delete, StorageApi.BucketsPath(Project, bucket), guest);
        var anonymous = await Api.SendAsync(HttpMethod.Post, StorageApi.BucketsPath(Project), Credential.None, """{"name":"mine"}""");

        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (create.Status, create.Body));
        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (update.Status, update.Body));
        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (delete.Status, delete.Body));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(Project, bucket), Api.Key())).Status);
    }

    [Fact]
    public async Task Reading_needs_a_credential_of_the_project()
    {
        var other = Emulator.CreateProject(requireEmailVerification: false);
        var stranger = await Api.GuestAsync(other);

        var anonymous = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(Project), Credential.None);
        var otherKey = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(Project), Api.Key(other));
        var otherUser = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(Project), stranger);

        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"Authentication required"}"""), (anonymous.Status, anonymous.Body));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"Invalid API key"}"""), (otherKey.Status, otherKey.Body));
        Assert.Equal(HttpStatusCode.Forbidden, otherUser.Status);
    }

    [Fact]
    public async Task A_bad_body_is_400_naming_each_problem_and_a_taken_name_409()
    {
        var name = DataApi.NewName("taken");
        Emulator.CreateBucket(name);

        var invalid = await Api.SendAsync(HttpMethod.Post, StorageApi.BucketsPath(Project), Api.Key(), """{"isPublic":"yes","settings":[]}""");
        var taken = await Api.SendAsync(HttpMethod.Post, StorageApi.BucketsPath(Project), Api.Key(), $$"""{"name":"{{name}}"}""");
        var renamed = await Api.SendAsync(HttpMethod.Patch, StorageApi.BucketsPath(Project, Api.NewBucket()), Api.Key(), $$"""{"name":"{{name}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal(["\"name\" is required", "\"isPublic\" must be a boolean", "\"settings\" must be of type object"],
            invalid.Json.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal((HttpStatusCode.Conflict, """{"error":"A bucket with this name already exists","code":"CONFLICT"}"""), (taken.Status, taken.Body));
        Assert.Equal(HttpStatusCode.Conflict, renamed.Status);
        Assert.Throws<ArgumentException>("name", () => Emulator.CreateBucket(name));
    }

    [Fact]
    public async Task Listing_searches_names_and_pages()
    {
        var project = Emulator.CreateProject();
        var key = Api.Key(project);
        foreach (var name in new[] { "Invoices-2024", "invoices-2025", "avatars" })
        {
            Emulator.CreateBucket(name, projectId: project);
        }

        var search = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(project) + "?search=INVOICES", key);
        var second = await Api.SendAsync(HttpMethod.Get, StorageApi.BucketsPath(project) + "?page=2&limit=3", key);

        Assert.Equal(["Invoices-2024", "invoices-2025"], search.Json.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(["avatars"], second.Json.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal("""{"page":2,"limit":3,"total":4,"totalPages":2,"hasMore":false}""", second.Json.GetProperty("pagination").GetRawText());
    }
}
