using System.Text.Json;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// <c>/api/bucket/projects/{projectId}/buckets[/{bucketId}]</c>. Reads need a credential (a project user's token or the
/// API key); create, update and delete are org calls. A bucket is addressed by its <c>_id</c>; names are unique in a project.
/// </summary>
internal sealed class BucketEndpoints(StorageRequests requests)
{
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
        if (!requests.TryBegin(request, projectId, StorageAccess.Org, out var project, out var error))
        {
            return error;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var name = BodyFields.RequiredString(body, "name", errors);
        var (isPublic, settings) = ReadOptions(body, errors);
        if (errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        return Storage.AddBucket(project.Id, name!, isPublic ?? false, settings ?? StorageJson.EmptyObject) is { } bucket
            ? StorageJson.Bucket(StatusCodes.Status201Created, "Bucket created successfully", bucket)
            : NameTaken();
    }

    /// <summary>PATCH <c>{name?, isPublic?, settings?}</c>; <c>settings</c> is replaced whole.</summary>
    public async Task<IResult> UpdateAsync(HttpRequest request, string projectId, string bucketId)
    {
        if (!requests.TryBegin(request, projectId, StorageAccess.Org, out var project, out var error))
        {
            return error;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var name = BodyFields.OptionalString(body, "name", errors);
        var (isPublic, settings) = ReadOptions(body, errors);
        if (errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        var (status, bucket) = Storage.UpdateBucket(project.Id, bucketId, name, isPublic, settings);
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

    private static (bool? IsPublic, JsonElement? Settings) ReadOptions(JsonElement body, List<string> errors) =>
        (StorageFields.OptionalBoolean(body, "isPublic", errors), StorageFields.OptionalObject(body, "settings", errors));

    private static IResult NameTaken() =>
        ErrorResults.Status(StatusCodes.Status409Conflict, new ErrorBody("A bucket with this name already exists") { Code = "CONFLICT" });
}
