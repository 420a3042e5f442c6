using Microsoft.Net.Http.Headers;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// The download routes: two that give a URL (a project user's token or the API key), the bytes themselves
/// (<c>GET /api/bucket/files/{fileId}/download</c>, public for public files, with a signed <c>?token=</c> otherwise),
/// and a public file's permanent URL, which redirects to a short-lived signed one.
/// </summary>
internal sealed class DownloadEndpoints(StorageRequests requests, DownloadTokens tokens)
{
    /// <summary>How long the URL a public file's permanent URL redirects to lives, as live.</summary>
    private const int PublicRedirectSeconds = 60;

    /// <summary><c>GET /api/files/download/{fileId}?expiresIn=</c>: <c>{url, expiresIn, isPublic}</c>; a public file's permanent URL with <c>expiresIn: null</c> and a <c>warning</c>.</summary>
    public IResult GetDownloadUrl(HttpRequest request, string fileId)
    {
        if (!requests.TryFile(request, fileId, out var file, out var error) || !StorageFields.TryExpiresIn(request.Query, out var seconds, out error))
        {
            return error!;
        }

        var urls = new StorageUrls(request);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            if (file.IsPublic)
            {
                writer.WriteString("url", urls.Download(file.Id));
                writer.WriteNull("expiresIn");
                writer.WriteBoolean("isPublic", true);
                writer.WriteString("warning", StorageJson.PublicFileWarning);
            }
            else
            {
                writer.WriteString("url", tokens.Sign(urls, file.Id, seconds).Url);
                writer.WriteNumber("expiresIn", seconds);
                writer.WriteBoolean("isPublic", false);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary><c>GET /api/files/{fileId}/download</c>: <c>{success, url, expiresAt, expiresIn}</c>, signed for an hour (or <c>?expiresIn=</c>).</summary>
    public IResult GetPresignedDownload(HttpRequest request, string fileId) =>
        requests.TryFile(request, fileId, out var file, out var error) && StorageFields.TryExpiresIn(request.Query, out var seconds, out error)
            ? StorageJson.Signed(tokens.Sign(new StorageUrls(request), file.Id, seconds), seconds)
            : error!;

    /// <summary>
    /// <c>GET /api/bucket/files/{fileId}/download[?token=]</c>: the bytes, streamed from disk with their
    /// <c>Content-Type</c>, <c>Content-Length</c> and <c>Content-Disposition</c>. 404 for an unknown file; 403 for a
    /// private file without a valid, unexpired token for it.
    /// </summary>
    public IResult Download(HttpRequest request, string fileId)
    {
        if (requests.FindFile(fileId) is not { } file)
        {
            return StorageRequests.FileNotFound();
        }

        var token = request.Query["token"].ToString();
        if (!(token.Length == 0 ? file.IsPublic : tokens.IsValid(token, file.Id)))
        {
            return ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("Invalid or expired download token"));
        }

        FileStream bytes;
        try
        {
            bytes = StorageFolder.OpenRead(requests.Storage.Folder.FilePath(file.Id));
        }
        catch (FileNotFoundException)
        {
            // Deleted since it was looked up.
            return StorageRequests.FileNotFound();
        }

        return new FileBytesResult(file, bytes);
    }

    /// <summary><c>GET /api/files/public/{fileId}</c>: 302 to a signed URL that lives 60 s; 403 for a file that is not public.</summary>
    public IResult RedirectPublic(HttpRequest request, string fileId)
    {
        if (requests.FindFile(fileId) is not { } file)
        {
            return StorageRequests.FileNotFound();
        }

        return file.IsPublic
            ? TypedResults.Redirect(tokens.Sign(new StorageUrls(request), file.Id, PublicRedirectSeconds).Url)
            : ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("File is not public"));
    }

    /// <summary>Streams an open file to the response in chunks; the file is closed when done, however it ends.</summary>
    private sealed class FileBytesResult(StorageFile file, FileStream bytes) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await using (bytes.ConfigureAwait(false))
            {
                var response = httpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = file.ContentType;
                response.ContentLength = bytes.Length;
                var disposition = new ContentDispositionHeaderValue("attachment");
                disposition.SetHttpFileName(file.OriginalName);
                response.Headers.ContentDisposition = disposition.ToString();
                await bytes.CopyToAsync(response.Body, StorageFolder.ChunkSize, httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
