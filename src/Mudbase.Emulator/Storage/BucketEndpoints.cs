using System.Text.Json;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// <c>/api/bucket/projects/{projectId}/buckets[/{bucketId}]</c>. Reads need a credential (a project user's token or the
/// API key); create, update and delete are org calls. A bucket is addressed by its <c>_id</c>; names are unique in a project.
/// </summary>
internal sealed class BucketEndpoints(StorageRequests requests)
{
    /// <summary>What a bucket write asks for; absent fields are null.</summary>
    private readonly record struct BucketDraft(string? Name, bool? IsPublic, JsonElement? Settings);

    private StorageState Storage => requests.Storage;

    /// <summary><c>?page&amp;limit&amp;search</c>: <c>search</c> keeps the buckets whose name contains it, in any case.</summary>
    public IResult List(HttpRequest request, string projectId)
    {
        if (!requests.TryBegin(request, projectId, StorageAccess.Read, out var project, out var error))
        {
            return error;
        }

        var search = request.Query["search"].ToString();
        var buckets = Storage.ListBuckets(project.Id).Where(bucket => bucket.Name.Contains(search, StringComparison.OrdinalIgnoreCase)).ToList();
        return StorageJson.Page(PageRequest.From(request.Query), buckets, "buckets", StorageJson.WriteBucket, success: true);
    }

    public IResult Get(HttpRequest request, string projectId, string bucketId) =>
        requests.TryBucket(request, projectId, bucketId, StorageAccess.Read, out var bucket, out var error)
            ? StorageJson.Bucket(StatusCodes.Status200OK, "Bucket retrieved successfully", bucket)
            : error;

    /// <summary>POST <c>{name*, isPublic?, settings?}</c>.</summary>
    public async Task<IResult> CreateAsync(HttpRequest request, string projectId)
    {
        var (project, draft, error) = await BeginWriteAsync(request, projectId, isCreate: true).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        return Storage.AddBucket(project!.Id, draft.Name!, draft.IsPublic ?? false, draft.Settings ?? StorageJson.EmptyObject) is { } bucket
            ? StorageJson.Bucket(StatusCodes.Status201Created, "Bucket created successfully", bucket)
            : NameTaken();
    }

    /// <summary>PATCH <c>{name?, isPublic?, settings?}</c>; <c>settings</c> is replaced whole.</summary>
    public async Task<IResult> UpdateAsync(HttpRequest request, string projectId, string bucketId)
    {
        var (project, draft, error) = await BeginWriteAsync(request, projectId, isCreate: false).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var (status, bucket) = Storage.UpdateBucket(project!.Id, bucketId, draft.Name, draft.IsPublic, draft.Settings);
        return status switch
        {
            BucketWriteStatus.Done => StorageJson.Bucket(StatusCodes.Status200OK, "Bucket updated successfully", bucket!),
            BucketWriteStatus.NameTaken => NameTaken(),
            _ => StorageRequests.BucketNotFound(),
        };
    }

    /// <summary>Deletes the bucket with its files.</summary>
    public IResult Delete(HttpRequest request, string projectId, string bucketId)
    {
        if (!requests.TryBegin(request, projectId, StorageAccess.Org, out var project, out var error))
        {
            return error;
        }

        return Storage.DeleteBucket(project.Id, bucketId)
            ? StorageRequests.Message(StatusCodes.Status200OK, "Bucket deleted successfully")
            : StorageRequests.BucketNotFound();
    }

    /// <summary>The org check, then the body <c>{name, isPublic?, settings?}</c> (<c>name</c> required on create): 400 naming each problem.</summary>
    private async Task<(Project? Project, BucketDraft Draft, IResult? Error)> BeginWriteAsync(HttpRequest request, string projectId, bool isCreate)
    {
        if (!requests.TryBegin(request, projectId, StorageAccess.Org, out var project, out var error))
        {
            return (null, default, error);
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return (null, default, ErrorResults.InvalidJson());
        }

        var errors = new List<string>();
        var draft = new BucketDraft(
            isCreate ? BodyFields.RequiredString(body, "name", errors) : BodyFields.OptionalString(body, "name", errors),
            StorageFields.OptionalBoolean(body, "isPublic", errors),
            StorageFields.OptionalObject(body, "settings", errors));
        return errors.Count > 0 ? (null, default, ErrorResults.ValidationFailed(errors)) : (project, draft, null);
    }

    private static IResult NameTaken() =>
        ErrorResults.Status(StatusCodes.Status409Conflict, new ErrorBody("A bucket with this name already exists") { Code = "CONFLICT" });
}
