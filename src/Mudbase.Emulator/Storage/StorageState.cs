using System.Security.Cryptography;
using System.Text.Json;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Storage;

/// <summary>How a bucket write ended.</summary>
internal enum BucketWriteStatus
{
    Done,
    NotFound,

    /// <summary>The project has another bucket of that name.</summary>
    NameTaken,
}

/// <summary>
/// The storage area's state: every project's buckets and files, and the direct uploads between presign and confirm.
/// Metadata is guarded by the emulator's one lock (<see cref="EmulatorStore.Gate"/>); bytes are in a
/// <see cref="StorageFolder"/> on disk and never pass through memory whole. Bytes are received outside the lock into a
/// scratch file, and the file appears under the lock in one step (or not at all: a bucket deleted meanwhile, an
/// upload refused), so a reader never sees a file without its bytes. Each project gets a bucket named
/// <see cref="StorageBucket.DefaultName"/> the first time storage meets it.
/// </summary>
internal sealed class StorageState(EmulatorStore store, TimeProvider timeProvider, ObjectIdGenerator ids, long maxFileUploadBytes) : IDisposable
{
    private readonly Lock _gate = store.Gate;
    private readonly Dictionary<string, StorageBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StorageFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PendingUpload Upload, string PendingName)> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _projectsSeen = new(StringComparer.Ordinal);
    private long _sequence;

    public StorageFolder Folder { get; } = new();

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>The largest file an upload may carry unless its bucket sets a smaller <c>maxFileSize</c>.</summary>
    public long MaxFileUploadBytes => maxFileUploadBytes;

    /// <summary>The per-file limit of a bucket: the stricter of the emulator's and the bucket's own.</summary>
    public long LimitOf(StorageBucket bucket) => Math.Min(maxFileUploadBytes, bucket.MaxFileSize ?? long.MaxValue);

    public IReadOnlyList<StorageBucket> ListBuckets(string projectId)
    {
        lock (_gate)
        {
            EnsureDefaultLocked(projectId);
            return [.. _buckets.Values.Where(bucket => bucket.ProjectId == projectId).OrderBy(bucket => bucket.CreatedAt).ThenBy(bucket => bucket.Id, StringComparer.Ordinal)];
        }
    }

    public StorageBucket? FindBucket(string projectId, string bucketId)
    {
        lock (_gate)
        {
            EnsureDefaultLocked(projectId);
            return FindBucketLocked(projectId, bucketId);
        }
    }

    /// <summary>
    /// A bucket by its name, or else by its <c>_id</c>: direct upload's <c>bucket</c> names one (<c>"default"</c>), and SDKs
    /// that hold a bucket's id send that.
    /// </summary>
    public StorageBucket? FindBucketByName(string projectId, string name)
    {
        lock (_gate)
        {
            EnsureDefaultLocked(projectId);
            return _buckets.Values.FirstOrDefault(bucket => bucket.ProjectId == projectId && bucket.Name == name)
                ?? FindBucketLocked(projectId, name);
        }
    }

    /// <returns>The new bucket, or <see langword="null"/> when the project has one of that name.</returns>
    public StorageBucket? AddBucket(string projectId, string name, bool isPublic, JsonElement settings)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            EnsureDefaultLocked(projectId);
            if (IsNameTakenLocked(projectId, name, exceptId: null))
            {
                return null;
            }

            var bucket = new StorageBucket(ids.Next(), projectId, name, isPublic, settings, now, now);
            _buckets.Add(bucket.Id, bucket);
            return bucket;
        }
    }

    public (BucketWriteStatus Status, StorageBucket? Bucket) UpdateBucket(string projectId, string bucketId, string? name, bool? isPublic, JsonElement? settings)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (FindBucketLocked(projectId, bucketId) is not { } current)
            {
                return (BucketWriteStatus.NotFound, null);
            }

            var updated = current with { Name = name ?? current.Name, IsPublic = isPublic ?? current.IsPublic, Settings = settings ?? current.Settings, UpdatedAt = now };
            if (IsNameTakenLocked(projectId, updated.Name, exceptId: current.Id))
            {
                return (BucketWriteStatus.NameTaken, null);
            }

            _buckets[current.Id] = updated;
            return (BucketWriteStatus.Done, updated);
        }
    }

    /// <summary>Deletes a bucket with its files, their bytes included.</summary>
    public bool DeleteBucket(string projectId, string bucketId)
    {
        List<StorageFile> files;
        lock (_gate)
        {
            if (FindBucketLocked(projectId, bucketId) is not { } bucket)
            {
                return false;
            }

            _buckets.Remove(bucket.Id);
            files = [.. _files.Values.Where(file => file.BucketId == bucket.Id)];
            foreach (var file in files)
            {
                _files.Remove(file.Id);
            }
        }

        // Outside the lock: disk work. The files are already gone from every listing.
        foreach (var file in files)
        {
            StorageFolder.Delete(Folder.FilePath(file.Id));
        }

        return true;
    }

    /// <summary>The bucket's files, newest first.</summary>
    public IReadOnlyList<StorageFile> ListFiles(string bucketId)
    {
        lock (_gate)
        {
            return [.. _files.Values.Where(file => file.BucketId == bucketId).OrderByDescending(file => file.Sequence)];
        }
    }

    public StorageFile? FindFile(string fileId)
    {
        lock (_gate)
        {
            return _files.GetValueOrDefault(fileId.ToLowerInvariant());
        }
    }

    /// <summary>
    /// Moves received bytes into place as files of a bucket, all of them or none: none when the bucket is gone, in
    /// which case the received bytes are deleted.
    /// </summary>
    /// <returns>The new files in the order given, or <see langword="null"/> when the bucket is gone.</returns>
    public IReadOnlyList<StorageFile>? AddFiles(string projectId, string bucketId, IReadOnlyList<(FileDraft Draft, string ScratchPath, long Size)> received)
    {
        var now = timeProvider.GetUtcNow();
        var files = received.Select(item => NewFile(projectId, bucketId, item.Draft, item.Size, now)).ToList();
        // The bytes go into place first: a file that is listed always has them. If the bucket is gone they are deleted below.
        for (var i = 0; i < files.Count; i++)
        {
            StorageFolder.Move(received[i].ScratchPath, Folder.FilePath(files[i].Id));
        }

        lock (_gate)
        {
            if (FindBucketLocked(projectId, bucketId) is not null)
            {
                foreach (var file in files)
                {
                    _files.Add(file.Id, file with { Sequence = ++_sequence });
                }

                return [.. files.Select(file => _files[file.Id])];
            }
        }

        foreach (var file in files)
        {
            StorageFolder.Delete(Folder.FilePath(file.Id));
        }

        return null;
    }

    /// <summary>Deletes a file of a bucket, and its bytes.</summary>
    public bool DeleteFile(string bucketId, string fileId)
    {
        lock (_gate)
        {
            if (FindFileLocked(bucketId, fileId) is not { } file)
            {
                return false;
            }

            _files.Remove(file.Id);
        }

        StorageFolder.Delete(Folder.FilePath(fileId.ToLowerInvariant()));
        return true;
    }

    /// <summary>A file of a bucket of a project, as the bucket routes address it.</summary>
    public StorageFile? FindFile(string bucketId, string fileId)
    {
        lock (_gate)
        {
            return FindFileLocked(bucketId, fileId);
        }
    }

    /// <summary>Starts a direct upload: a new key, unguessable, for the bytes to be PUT to.</summary>
    public PendingUpload AddPendingUpload(string projectId, string bucketName, FileDraft draft, TimeSpan lifetime)
    {
        // The key is the capability of the PUT, as a presigned URL's signature is: random, never derived from input.
        var upload = new PendingUpload(
            $"uploads/{projectId}/{RandomNumberGenerator.GetHexString(32, lowercase: true)}",
            projectId,
            bucketName,
            draft,
            timeProvider.GetUtcNow() + lifetime);
        lock (_gate)
        {
            _pending.Add(upload.Key, (upload, RandomNumberGenerator.GetHexString(32, lowercase: true)));
        }

        return upload;
    }

    public PendingUpload? FindPendingUpload(string key)
    {
        lock (_gate)
        {
            return _pending.TryGetValue(key, out var entry) ? entry.Upload : null;
        }
    }

    /// <summary>Puts a direct upload's received bytes in place, replacing any sent before (a PUT may be repeated).</summary>
    /// <returns>Whether the upload was still pending; when not, the bytes are deleted.</returns>
    public bool CompletePendingUpload(string key, string scratchPath, long size)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(key, out var entry))
            {
                // Under the lock, so that a confirm sees the bytes and their size together.
                StorageFolder.Move(scratchPath, Folder.PendingPath(entry.PendingName));
                _pending[key] = (entry.Upload with { Size = size }, entry.PendingName);
                return true;
            }
        }

        StorageFolder.Delete(scratchPath);
        return false;
    }

    /// <summary>
    /// Ends a direct upload: the bytes become a file of the bucket (named, typed and shown as <paramref name="amend"/> makes
    /// of what the presign said), unless <paramref name="check"/> (given the upload's bucket and size) refuses, in which case the upload ends with no file and its bytes are deleted.
    /// </summary>
    /// <returns>The file; or <see langword="null"/> and the reason: no bytes under that key, the bucket gone, or the refusal.</returns>
    public (StorageFile? File, ConfirmFailure Failure) ConfirmUpload(
        string key, string projectId, string? bucketName, Func<FileDraft, FileDraft> amend, Func<StorageBucket, long, bool> check)
    {
        var now = timeProvider.GetUtcNow();
        string pendingPath;
        StorageFile file;
        lock (_gate)
        {
            if (!_pending.TryGetValue(key, out var entry) || entry.Upload.ProjectId != projectId || entry.Upload.Size is not { } size)
            {
                return (null, ConfirmFailure.NoUpload);
            }

            _pending.Remove(key);
            pendingPath = Folder.PendingPath(entry.PendingName);
            var named = bucketName ?? entry.Upload.BucketName;
            var bucket = _buckets.Values.FirstOrDefault(b => b.ProjectId == projectId && b.Name == named) ?? FindBucketLocked(projectId, named);
            if (bucket is null || !check(bucket, size))
            {
                StorageFolder.Delete(pendingPath);
                return (null, bucket is null ? ConfirmFailure.NoBucket : ConfirmFailure.Refused);
            }

            file = NewFile(projectId, bucket.Id, amend(entry.Upload.Draft), size, now) with { Sequence = ++_sequence };
            // Under the lock, so that the file is never listed without its bytes; a rename, not a copy.
            StorageFolder.Move(pendingPath, Folder.FilePath(file.Id));
            _files.Add(file.Id, file);
        }

        return (file, ConfirmFailure.None);
    }

    public void Dispose() => Folder.Dispose();

    private StorageFile NewFile(string projectId, string bucketId, FileDraft draft, long size, DateTimeOffset now)
    {
        var id = ids.Next();
        // The stored name, as the service's keys are: unique, with the original's extension.
        var fileName = id + Path.GetExtension(draft.OriginalName).ToLowerInvariant();
        return new StorageFile(id, 0, projectId, bucketId, fileName, draft.OriginalName, draft.ContentType, size, draft.IsPublic, now);
    }

    private void EnsureDefaultLocked(string projectId)
    {
        if (_projectsSeen.Add(projectId))
        {
            var now = timeProvider.GetUtcNow();
            var bucket = new StorageBucket(ids.Next(), projectId, StorageBucket.DefaultName, false, StorageJson.EmptyObject, now, now);
            _buckets.Add(bucket.Id, bucket);
        }
    }

    private StorageBucket? FindBucketLocked(string projectId, string bucketId) =>
        _buckets.TryGetValue(bucketId.ToLowerInvariant(), out var bucket) && bucket.ProjectId == projectId ? bucket : null;

    private StorageFile? FindFileLocked(string bucketId, string fileId) =>
        _files.TryGetValue(fileId.ToLowerInvariant(), out var file) && file.BucketId == bucketId ? file : null;

    private bool IsNameTakenLocked(string projectId, string name, string? exceptId) =>
        _buckets.Values.Any(bucket => bucket.ProjectId == projectId && bucket.Id != exceptId && bucket.Name == name);
}

/// <summary>Why a confirm made no file.</summary>
internal enum ConfirmFailure
{
    None,

    /// <summary>No bytes were PUT under the key (or it is unknown, already confirmed, or another project's).</summary>
    NoUpload,
    NoBucket,

    /// <summary>The confirm's check refused the bytes (too large).</summary>
    Refused,
}
