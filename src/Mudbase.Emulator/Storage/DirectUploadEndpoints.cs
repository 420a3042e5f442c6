using Microsoft.AspNetCore.StaticFiles;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// Direct upload, as the hosted service does it with its object store: a presign (an org call) gives a key and a URL,
/// the bytes are PUT to the URL with exactly the headers given (here <c>PUT /__storage/{key}</c>: the key is the
/// capability, as a presigned URL's signature is), and a confirm (an org call) makes them a file. Until the confirm
/// there is no file: a key never confirmed leaves none. The size limit applies at the confirm, as live.
/// </summary>
internal sealed class DirectUploadEndpoints(StorageRequests requests)
{
    /// <summary>How long a presigned upload URL accepts a PUT.</summary>
    private const int UploadUrlSeconds = 3600;

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private StorageState Storage => requests.Storage;

    /// <summary>
    /// POST <c>{projectId*, originalName*, bucket?="default", contentType?, isPublic?}</c>:
    /// 200 <c>{key, url, method:"PUT", headers:{Content-Type}, expiresIn, maxFileUploadBytes}</c>.
    /// </summary>
    public async Task<IResult> PresignAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var projectId = BodyFields.RequiredString(body, "projectId", errors);
        var originalName = BodyFields.RequiredString(body, "originalName", errors);
        var bucketName = BodyFields.OptionalString(body, "bucket", errors) ?? StorageBucket.DefaultName;
        var contentType = BodyFields.OptionalString(body, "contentType", errors);
        var isPublic = StorageFields.OptionalBoolean(body, "isPublic", errors);
        if (errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!requests.TryBegin(request, projectId!, StorageAccess.Org, out var project, out var error))
        {
            return error;
        }

        if (Storage.FindBucketByName(project.Id, bucketName) is not { } bucket)
        {
            return StorageRequests.BucketNotFound();
        }

        contentType ??= ContentTypes.TryGetContentType(originalName!, out var inferred) ? inferred : "application/octet-stream";
        var upload = Storage.AddPendingUpload(project.Id, bucket.Name, new FileDraft(originalName!, contentType, isPublic ?? false), TimeSpan.FromSeconds(UploadUrlSeconds));
        var url = new StorageUrls(request).Upload(upload.Key);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("key", upload.Key);
            writer.WriteString("url", url);
            writer.WriteString("method", "PUT");
            writer.WriteStartObject("headers");
            writer.WriteString("Content-Type", contentType);
            writer.WriteEndObject();
            writer.WriteNumber("expiresIn", UploadUrlSeconds);
            writer.WriteNumber("maxFileUploadBytes", Storage.LimitOf(bucket));
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>PUT /__storage/{key}</c>: the bytes, streamed to disk, with the presign's <c>Content-Type</c> (else 403, as
    /// the object store's signature check answers). A repeated PUT replaces the bytes. 404 for an unknown (or already
    /// confirmed) key, 403 once the URL has expired, 411 for a body without a <c>Content-Length</c> (a chunked one), which
    /// an S3 presigned PUT refuses too (<c>MissingContentLength</c>).
    /// </summary>
    public async Task<IResult> PutAsync(HttpContext context, string key)
    {
        StorageRequests.AllowAnyBodySize(context);
        var request = context.Request;
        IResult answer;
        if (Storage.FindPendingUpload(key) is not { } upload)
        {
            answer = ErrorResults.NotFound("NoSuchUpload: no upload was presigned with this key");
        }
        else if (Storage.TimeProvider.GetUtcNow() >= upload.ExpiresAt)
        {
            answer = ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("AccessDenied: the upload URL has expired"));
        }
        else if (!string.Equals(request.ContentType, upload.Draft.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            answer = ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("SignatureDoesNotMatch: send exactly the headers the presign gave"));
        }
        else if (request.ContentLength is null)
        {
            answer = ErrorResults.Status(StatusCodes.Status411LengthRequired, new ErrorBody("MissingContentLength: You must provide the Content-Length HTTP header."));
        }
        else
        {
            var (path, size) = await Storage.Folder.ReceiveAsync(request.Body, limit: null, context.RequestAborted).ConfigureAwait(false);
            answer = Storage.CompletePendingUpload(key, path!, size)
                ? TypedResults.Ok()
                : ErrorResults.NotFound("NoSuchUpload: no upload was presigned with this key");
        }

        await StorageRequests.DrainAsync(request).ConfigureAwait(false);
        return answer;
    }

    /// <summary>
    /// POST <c>{key*, projectId*, originalName?, contentType?, size?, bucket?, isPublic?}</c>: 201
    /// <c>{fileId, status:"ok", scan}</c>. The presign's name, type, bucket and visibility stand unless given again.
    /// 404 when nothing was PUT under the key; 413 (and the bytes dropped) when they are over the limit.
    /// </summary>
    public async Task<IResult> ConfirmAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var key = BodyFields.RequiredString(body, "key", errors);
        var projectId = BodyFields.RequiredString(body, "projectId", errors);
        var originalName = BodyFields.OptionalString(body, "originalName", errors);
        var contentType = BodyFields.OptionalString(body, "contentType", errors);
        var bucketName = BodyFields.OptionalString(body, "bucket", errors);
        var isPublic = StorageFields.OptionalBoolean(body, "isPublic", errors);
        if (errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!requests.TryBegin(request, projectId!, StorageAccess.Org, out var project, out var error))
        {
            return error;
        }

        var limit = 0L;
        var (file, failure) = Storage.ConfirmUpload(
            key!,
            project.Id,
            bucketName,
            draft => new FileDraft(originalName ?? draft.OriginalName, contentType ?? draft.ContentType, isPublic ?? draft.IsPublic),
            (bucket, size) => size <= (limit = Storage.LimitOf(bucket)));
        return failure switch
        {
            ConfirmFailure.None => JsonAnswer.Write(StatusCodes.Status201Created, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("fileId", file!.Id);
                writer.WriteString("status", "ok");
                writer.WriteStartObject("scan");
                writer.WriteString("status", "clean");
                writer.WriteString("provider", "emulator");
                writer.WriteNumber("detections", 0);
                writer.WriteNull("analysis");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }),
            ConfirmFailure.NoBucket => StorageRequests.BucketNotFound(),
            ConfirmFailure.Refused => StorageJson.TooLarge(limit),
            _ => ErrorResults.NotFound("Uploaded object not found: nothing was uploaded with this key"),
        };
    }
}
