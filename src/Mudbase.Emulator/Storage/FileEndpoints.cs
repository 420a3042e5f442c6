using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// <c>/api/bucket/projects/{projectId}/buckets/{bucketId}/files[/{fileId}[/signed-url]]</c>. Listing, reading and
/// signing need a credential; uploading and deleting are org calls.
/// </summary>
internal sealed class FileEndpoints(StorageRequests requests, DownloadTokens tokens)
{
    private StorageState Storage => requests.Storage;

    /// <summary>
    /// <c>?page&amp;limit&amp;search&amp;type</c>, newest first: <c>search</c> keeps the files whose original name contains
    /// it, <c>type</c> those whose MIME type starts with it (<c>image</c>, <c>image/png</c>), both in any case.
    /// </summary>
    public IResult List(HttpRequest request, string projectId, string bucketId)
    {
        if (!requests.TryBucket(request, projectId, bucketId, StorageAccess.Read, out var bucket, out var error))
        {
            return error;
        }

        var search = request.Query["search"].ToString();
        var type = request.Query["type"].ToString();
        var files = Storage.ListFiles(bucket.Id)
            .Where(file => file.OriginalName.Contains(search, StringComparison.OrdinalIgnoreCase) && file.ContentType.StartsWith(type, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var urls = new StorageUrls(request);
        return StorageJson.Page(PageRequest.From(request.Query), files, "files", (writer, file) => StorageJson.WriteMetadata(writer, file, urls), success: false);
    }

    public IResult Get(HttpRequest request, string projectId, string bucketId, string fileId)
    {
        if (!requests.TryBucket(request, projectId, bucketId, StorageAccess.Read, out var bucket, out var error))
        {
            return error;
        }

        if (Storage.FindFile(bucket.Id, fileId) is not { } file)
        {
            return StorageRequests.FileNotFound();
        }

        var urls = new StorageUrls(request);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", true);
            writer.WritePropertyName("file");
            StorageJson.WriteMetadata(writer, file, urls);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Multipart, one <c>files</c> part per file (1 to 10) and an optional <c>isPublic</c> field: 201
    /// <c>{success, files:[…]}</c>. The bytes stream to disk; a file over the limit is 413.
    /// </summary>
    public async Task<IResult> UploadAsync(HttpContext context, string projectId, string bucketId)
    {
        StorageRequests.AllowAnyBodySize(context);
        var request = context.Request;
        var answer = requests.TryBucket(request, projectId, bucketId, StorageAccess.Org, out var bucket, out var error)
            ? await MultipartUpload.ReceiveAsync(request, Storage, bucket).ConfigureAwait(false)
            : error;
        await StorageRequests.DrainAsync(request).ConfigureAwait(false);
        return answer;
    }

    public IResult Delete(HttpRequest request, string projectId, string bucketId, string fileId)
    {
        if (!requests.TryBucket(request, projectId, bucketId, StorageAccess.Org, out var bucket, out var error))
        {
            return error;
        }

        return Storage.DeleteFile(bucket.Id, fileId)
            ? StorageRequests.Message(StatusCodes.Status200OK, "File deleted successfully")
            : StorageRequests.FileNotFound();
    }

    /// <summary>
    /// POST <c>{expiresIn?}</c>: 200 <c>{success, url, expiresAt, expiresIn}</c>. A public file is not signed: its
    /// permanent URL comes back, with <c>expiresAt</c> and <c>expiresIn</c> null and a <c>warning</c>.
    /// </summary>
    public async Task<IResult> SignAsync(HttpRequest request, string projectId, string bucketId, string fileId)
    {
        if (!requests.TryBucket(request, projectId, bucketId, StorageAccess.Read, out var bucket, out var error))
        {
            return error;
        }

        if (Storage.FindFile(bucket.Id, fileId) is not { } file)
        {
            return StorageRequests.FileNotFound();
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        if (!StorageFields.TryExpiresIn(body.TryGetProperty("expiresIn", out var value) ? value : null, out var seconds, out error))
        {
            return error!;
        }

        var urls = new StorageUrls(request);
        if (!file.IsPublic)
        {
            return StorageJson.Signed(tokens.Sign(urls, file.Id, seconds), seconds);
        }

        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", true);
            writer.WriteString("url", urls.Download(file.Id));
            writer.WriteNull("expiresAt");
            writer.WriteNull("expiresIn");
            writer.WriteString("warning", StorageJson.PublicFileWarning);
            writer.WriteEndObject();
        });
    }
}
