using System.Text.Json;

namespace Mudbase.Emulator.Storage;

/// <summary>A bucket of a project. Immutable: an update swaps in a changed copy.</summary>
internal sealed record StorageBucket(string Id, string ProjectId, string Name, bool IsPublic, JsonElement Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The name every project's first bucket has, and the one direct upload uses when it names none.</summary>
    public const string DefaultName = "default";

    /// <summary>The bucket's own per-file limit, <c>settings.maxFileSize</c>, when it has one.</summary>
    public long? MaxFileSize =>
        Settings.ValueKind == JsonValueKind.Object && Settings.TryGetProperty("maxFileSize", out var value) && value.TryGetInt64(out var bytes) && bytes >= 0
            ? bytes
            : null;
}

/// <summary>
/// A stored file's metadata; its bytes are in the storage folder under <see cref="Id"/>. <see cref="Sequence"/> is the
/// upload order, which breaks ties between files uploaded in the same millisecond.
/// </summary>
internal sealed record StorageFile(
    string Id,
    long Sequence,
    string ProjectId,
    string BucketId,
    string FileName,
    string OriginalName,
    string ContentType,
    long Size,
    bool IsPublic,
    DateTimeOffset CreatedAt);

/// <summary>What a file is uploaded as, before it has an id: the name, type and visibility the upload gave it.</summary>
internal sealed record FileDraft(string OriginalName, string ContentType, bool IsPublic);

/// <summary>
/// A direct upload between its presign and its confirm: where its bytes go (<see cref="Key"/>), until when they may be
/// sent, and what the presign said about them. <see cref="Size"/> is <see langword="null"/> until a PUT has finished.
/// </summary>
internal sealed record PendingUpload(string Key, string ProjectId, string BucketName, FileDraft Draft, DateTimeOffset ExpiresAt)
{
    public long? Size { get; init; }
}
