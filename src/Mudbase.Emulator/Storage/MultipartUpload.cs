using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// Reads a multipart upload as the service's multer does (<c>.array("files", 10)</c>), part by part, each file's bytes
/// straight to disk: no part is ever held in memory, whatever its size. All files are stored, or none.
/// </summary>
internal static class MultipartUpload
{
    /// <summary>The most files one request may carry.</summary>
    public const int MaxFiles = 10;

    private const string FilesField = "files";
    private const string IsPublicField = "isPublic";

    // Enough for "true"/"false"; a text field longer than this is not one the service reads.
    private const int MaxFieldLength = 1024;

    public static async Task<IResult> ReceiveAsync(HttpRequest request, StorageState storage, StorageBucket bucket)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return NoFiles();
        }

        var limit = storage.LimitOf(bucket);
        var received = new List<(FileDraft Draft, string ScratchPath, long Size)>();
        var isPublic = false;
        var stored = false;
        IReadOnlyList<StorageFile>? files;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted).ConfigureAwait(false) is { } section)
            {
                // (IsFormDisposition would not do: it is true of text fields only.)
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (!disposition.IsFileDisposition())
                {
                    // Other text fields (the docs mention folder and tags) are accepted and ignored.
                    if (name == IsPublicField)
                    {
                        isPublic = await ReadFieldAsync(section).ConfigureAwait(false) == "true";
                    }

                    continue;
                }

                if (name != FilesField)
                {
                    return ErrorResults.BadRequest($"Unexpected field: {name}");
                }

                if (received.Count == MaxFiles)
                {
                    return ErrorResults.BadRequest($"Too many files: at most {MaxFiles} per upload");
                }

                var fileName = StringSegment.IsNullOrEmpty(disposition.FileNameStar) ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : disposition.FileNameStar.Value;
                if (string.IsNullOrEmpty(fileName))
                {
                    return ErrorResults.BadRequest("A file part needs a file name");
                }

                var (path, size) = await storage.Folder.ReceiveAsync(section.Body, limit, request.HttpContext.RequestAborted).ConfigureAwait(false);
                if (path is null)
                {
                    return StorageJson.TooLarge(limit);
                }

                // multer takes the part's own Content-Type; busboy's default when a part has none.
                received.Add((new FileDraft(fileName, section.ContentType ?? "application/octet-stream", false), path, size));
            }

            if (received.Count == 0)
            {
                return NoFiles();
            }

            // From here the state owns the received bytes: it moves them into place or deletes them.
            stored = true;
            files = storage.AddFiles(bucket.ProjectId, bucket.Id, [.. received.Select(item => item with { Draft = item.Draft with { IsPublic = isPublic } })]);
        }
        catch (InvalidDataException)
        {
            return ErrorResults.BadRequest("Malformed multipart body");
        }
        finally
        {
            if (!stored)
            {
                // A refusal or a failure part way: the files already received go too.
                foreach (var item in received)
                {
                    StorageFolder.Delete(item.ScratchPath);
                }
            }
        }

        if (files is null)
        {
            return StorageRequests.BucketNotFound();
        }

        var urls = new StorageUrls(request);
        return JsonAnswer.Write(StatusCodes.Status201Created, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("success", true);
            writer.WriteStartArray("files");
            foreach (var file in files)
            {
                StorageJson.WriteUploaded(writer, file, urls);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static IResult NoFiles() => ErrorResults.BadRequest("No files uploaded");

    private static async Task<string> ReadFieldAsync(MultipartSection section)
    {
        var buffer = new char[MaxFieldLength];
        using var text = new StreamReader(section.Body, leaveOpen: true);
        var length = await text.ReadBlockAsync(buffer).ConfigureAwait(false);
        return new string(buffer, 0, length).Trim();
    }
}
