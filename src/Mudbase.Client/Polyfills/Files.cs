using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace System.IO;

/// <summary>Unix permission bits (.NET 7).</summary>
[Flags]
internal enum UnixFileMode
{
    None = 0,
    OtherExecute = 1,
    OtherWrite = 2,
    OtherRead = 4,
    GroupExecute = 8,
    GroupWrite = 16,
    GroupRead = 32,
    UserExecute = 64,
    UserWrite = 128,
    UserRead = 256,
}

/// <summary>How <c>File.Open(path, options)</c> opens a file (.NET 6).</summary>
internal sealed class FileStreamOptions
{
    private UnixFileMode? _unixCreateMode;

    public FileMode Mode { get; set; } = FileMode.Open;

    public FileAccess Access { get; set; } = FileAccess.Read;

    public FileShare Share { get; set; } = FileShare.Read;

    public FileOptions Options { get; set; }

    public int BufferSize { get; set; } = 4096;

    /// <summary>The permissions a file created on Unix gets (as in .NET, setting it on Windows throws).</summary>
    public UnixFileMode? UnixCreateMode
    {
        get => _unixCreateMode;
        set => _unixCreateMode = OperatingSystem.IsWindows()
            ? throw new PlatformNotSupportedException("UnixCreateMode is not supported on Windows.")
            : value;
    }
}

internal static class FilePolyfills
{
    extension(OperatingSystem)
    {
        public static bool IsWindows() => Environment.OSVersion.Platform == PlatformID.Win32NT;
    }

    extension(File)
    {
        /// <summary>
        /// Opens a file as <see cref="FileStreamOptions"/> say. On Unix (Mono) a file this call creates gets
        /// <see cref="FileStreamOptions.UnixCreateMode"/> by chmod(2) right after its creation, before anything is written
        /// to it; .NET passes the mode to open(2) itself, which .NET Framework's FileStream cannot do.
        /// </summary>
        public static FileStream Open(string path, FileStreamOptions options)
        {
            var mode = options.UnixCreateMode;
            var creates = mode is not null && (options.Mode == FileMode.CreateNew ||
                (options.Mode is FileMode.Create or FileMode.OpenOrCreate or FileMode.Append && !File.Exists(path)));
            var stream = new FileStream(path, options.Mode, options.Access, options.Share, options.BufferSize, options.Options);
            if (creates && UnixFiles.Chmod(path, (int)mode!.Value) != 0)
            {
                var error = Marshal.GetLastWin32Error();
                stream.Dispose();
                throw new IOException($"Could not set the permissions of '{path}': {new Win32Exception(error).Message} (errno {error}).");
            }

            return stream;
        }

        /// <summary>Moves a file, replacing the destination in one step when <paramref name="overwrite"/> is set (rename(2) or MoveFileEx, as .NET does).</summary>
        public static void Move(string sourceFileName, string destFileName, bool overwrite)
        {
            if (!overwrite)
            {
                File.Move(sourceFileName, destFileName);
                return;
            }

            var failed = OperatingSystem.IsWindows()
                ? !WindowsFiles.MoveFileEx(sourceFileName, destFileName, WindowsFiles.MoveFileReplaceExisting)
                : UnixFiles.Rename(sourceFileName, destFileName) != 0;
            if (failed)
            {
                var error = Marshal.GetLastWin32Error();
                throw new IOException($"Could not move '{sourceFileName}' to '{destFileName}': {new Win32Exception(error).Message} (error {error}).");
            }
        }

        public static async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken = default)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan);
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, 81920, cancellationToken).ConfigureAwait(false);
            return bytes.ToArray();
        }
    }

    extension(Stream stream)
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            MemoryMarshal.TryGetArray(buffer, out var segment)
                ? new(stream.WriteAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken))
                : new(stream.WriteAsync(buffer.ToArray(), 0, buffer.Length, cancellationToken));

        /// <summary>
        /// Reads into <paramref name="buffer"/>. A network read on .NET Framework ignores the token once started: this
        /// stops waiting when it is cancelled, and the caller's disposal of the stream ends the read itself.
        /// </summary>
        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            MemoryMarshal.TryGetArray<byte>(buffer, out var segment)
                ? new(stream.ReadAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken).WaitAsync(cancellationToken))
                : throw new NotSupportedException("Only memory over an array can be read into on .NET Framework.");

        /// <summary>For <c>await using (stream.ConfigureAwait(false))</c>: .NET Framework's streams have no DisposeAsync, so disposal is synchronous.</summary>
        public ConfiguredAsyncDisposable ConfigureAwait(bool continueOnCapturedContext) =>
            new SynchronousAsyncDisposable(stream).ConfigureAwait(continueOnCapturedContext);
    }

    private sealed class SynchronousAsyncDisposable(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return default;
        }
    }

    private static class UnixFiles
    {
        // Mono maps "libc" to the C library of the platform. int for mode_t: 32 bits on Linux; on macOS the 16-bit mode
        // is passed in a register all the same.
        [DllImport("libc", EntryPoint = "chmod", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Chmod(string path, int mode);

        [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Rename(string oldPath, string newPath);
    }

    private static class WindowsFiles
    {
        public const int MoveFileReplaceExisting = 1;

        [DllImport("kernel32.dll", EntryPoint = "MoveFileExW", SetLastError = true, CharSet = CharSet.Unicode)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool MoveFileEx(string existingFileName, string newFileName, int flags);
    }
}
