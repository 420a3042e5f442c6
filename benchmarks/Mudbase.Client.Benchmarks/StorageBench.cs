using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mudbase.Storage;
using Mudbase.Tests.Support;

namespace Mudbase.Benchmarks;

/// <summary>
/// Storage throughput over loopback: a large file up and down, the SDK against what a user writes by hand, against an
/// emulator in its own process (so the bytes counted are the client's only).
/// <code>storage [--rounds 21] [--mb 100 | --bytes N] [--source pipe|seekable] [--warmup 2] [--progress false] [--verbose false]
///         [--transport loopback|memory] [--sample upload|download [--sample-calls 5000]]</code>
/// --transport memory: the same contenders over a handler that answers in memory (the SDK built with
/// <c>new MudbaseClient(options, handler)</c>), where nothing waits, so the bytes counted are exact: the client's own.
/// --sample: afterwards, each contender of that direction many times under the runtime's allocation sampling (the types
/// its bytes are, by share); upload samples include a delete per call.
/// Upload: the SDK's <c>UploadAsync</c> against a hand-written <c>MultipartFormDataContent</c> + <c>StreamContent</c>
/// POST (one <c>files</c> part, the same name and media type). Download: the SDK's <c>DownloadToAsync(Stream.Null)</c>
/// and <c>OpenReadAsync</c> + <c>CopyToAsync(Stream.Null)</c> against a hand-written signed-URL POST then
/// <c>GetStreamAsync</c> + <c>CopyToAsync(Stream.Null)</c> (the SDK signs a URL before it downloads too). Each round runs
/// every contender once per direction, the order rotating; the ratios are taken within the round. The source is a
/// generated stream that allocates nothing (pipe: it cannot seek, as a network stream; seekable: it knows its length).
/// </summary>
internal static class StorageBench
{
    private const string FileName = "bench.bin";
    private const string MediaType = "application/octet-stream";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "21", CultureInfo.InvariantCulture);
        var megabytes = int.Parse(options.GetValueOrDefault("mb") ?? "100", CultureInfo.InvariantCulture);
        var warmup = int.Parse(options.GetValueOrDefault("warmup") ?? "2", CultureInfo.InvariantCulture);
        var seekable = (options.GetValueOrDefault("source") ?? "pipe") switch
        {
            "pipe" => false,
            "seekable" => true,
            var other => throw new ArgumentException($"--source {other}: pipe or seekable."),
        };
        var withProgress = bool.Parse(options.GetValueOrDefault("progress") ?? "false");
        var verbose = bool.Parse(options.GetValueOrDefault("verbose") ?? "false");
        // --bytes: an exact size instead (a small file shows the fixed cost of a call alone).
        var size = options.TryGetValue("bytes", out var exact) ? long.Parse(exact, CultureInfo.InvariantCulture) : megabytes * 1024L * 1024;

        var inMemory = (options.GetValueOrDefault("transport") ?? "loopback") switch
        {
            "loopback" => false,
            "memory" => true,
            var other => throw new ArgumentException($"--transport {other}: loopback or memory."),
        };

        // Over loopback the emulator runs in its own process; in memory a handler answers as it would (see MemoryStorage).
        await using var emulator = inMemory ? null : await EmulatorProcess.StartAsync(maxFileUploadBytes: size + (1024 * 1024), CancellationToken.None);
        var (baseUrl, projectId, apiKey) = emulator is null ? (MemoryStorage.BaseUrl, Payloads.ProjectId, "bench-key") : (emulator.BaseUrl, emulator.ProjectId, emulator.ApiKey);
        var sdkOptions = new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = projectId, ApiKey = apiKey };
        using var sdk = inMemory ? new MudbaseClient(sdkOptions, new MemoryStorage(size), disposeHandler: true) : new MudbaseClient(sdkOptions);
        var bucketId = inMemory ? MemoryStorage.BucketId : (await sdk.Storage.CreateBucketAsync(new CreateBucketRequest { Name = "bench_" + Guid.NewGuid().ToString("N")[..8] })).Id;
        var files = sdk.Storage.Bucket(bucketId);
        using var http = inMemory ? new HttpClient(new MemoryStorage(size)) { BaseAddress = baseUrl } : new HttpClient { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        var hand = new HandStorage(http, projectId, bucketId);
        var progress = withProgress ? new LastProgress() : null;
        // One options object for every upload, as an app keeps its own (the hand-written side allocates none either).
        var uploadOptions = new UploadOptions { ContentType = MediaType, Progress = progress };

        var uploads = new (string Name, Func<Stream, Task<string>> Upload)[]
        {
            ("hand-written", hand.UploadAsync),
            ("SDK UploadAsync", async source => (await files.UploadAsync(source, FileName, uploadOptions)).Id),
        };
        var downloads = new (string Name, Func<string, Task> Download)[]
        {
            ("hand-written", hand.DownloadAsync),
            ("SDK DownloadToAsync", id => files.DownloadToAsync(id, Stream.Null, progress)),
            ("SDK OpenReadAsync", async id =>
            {
                await using var body = await files.OpenReadAsync(id);
                await body.CopyToAsync(Stream.Null);
            }),
        };

        Console.WriteLine($"{size:N0} bytes, source {(seekable ? "seekable" : "pipe (cannot seek)")}, progress {(withProgress ? "on" : "off")}, {rounds} rounds after {warmup} warm-up, " +
            $"{Environment.ProcessorCount} cores, {(inMemory ? "in memory: new MudbaseClient(options, handler) and new HttpClient(handler)" : "loopback: the emulator in its own process (not counted)")}, load {Load()}");
        var up = uploads.Select(_ => new Samples()).ToArray();
        var down = downloads.Select(_ => new Samples()).ToArray();
        for (var round = -warmup; round < rounds; round++)
        {
            var ids = new string[uploads.Length];
            for (var k = 0; k < uploads.Length; k++)
            {
                var index = (k + Math.Max(0, round)) % uploads.Length;
                var source = new GeneratedStream(size, seekable);
                var (id, seconds, bytes) = await MeasureAsync(() => uploads[index].Upload(source));
                if (source.Position != size)
                {
                    throw new InvalidOperationException($"{uploads[index].Name} read {source.Position} of {size} bytes.");
                }

                ids[index] = id;
                Trace(verbose, round, uploads[index].Name, seconds, bytes);
                if (round >= 0)
                {
                    up[index].Add(seconds, bytes);
                }
            }

            for (var k = 0; k < downloads.Length; k++)
            {
                var index = (k + Math.Max(0, round)) % downloads.Length;
                var (_, seconds, bytes) = await MeasureAsync(async () =>
                {
                    // The hand-written side reads its own upload, the SDK's sides the SDK's: the same bytes.
                    await downloads[index].Download(ids[Math.Min(index, ids.Length - 1)]);
                    return "";
                });
                Trace(verbose, round, downloads[index].Name, seconds, bytes);
                if (round >= 0)
                {
                    down[index].Add(seconds, bytes);
                }
            }

            foreach (var id in ids)
            {
                await files.DeleteAsync(id);
            }
        }

        if (options.TryGetValue("sample", out var direction))
        {
            // Where the bytes go: each contender of one direction many times under the runtime's allocation sampling.
            var calls = int.Parse(options.GetValueOrDefault("sample-calls") ?? "5000", CultureInfo.InvariantCulture);
            using var sampler = new AllocationSampler();
            var id = await hand.UploadAsync(new GeneratedStream(size, seekable));
            var sdkId = (await files.UploadAsync(new GeneratedStream(size, seekable), FileName)).Id;
            var runs = direction == "upload"
                ? uploads.Select(u => (u.Name, Run: (Func<Task>)(async () => await files.DeleteAsync(await u.Upload(new GeneratedStream(size, seekable)))))).ToArray()
                : downloads.Select((d, i) => (d.Name, Run: (Func<Task>)(() => d.Download(i == 0 ? id : sdkId)))).ToArray();
            foreach (var (name, run) in runs)
            {
                sampler.Start();
                for (var i = 0; i < calls; i++)
                {
                    await run();
                }

                var types = sampler.Stop();
                Console.WriteLine($"{direction} {name}, {calls} calls: {types.Sum(t => t.Samples)} samples");
                foreach (var (type, samples, share) in types.Take(30))
                {
                    Console.WriteLine($"  {share,6:P1} {samples,6} {type}");
                }
            }
        }

        Console.WriteLine($"load after: {Load()}");
        Console.WriteLine();
        Console.WriteLine("| direction | contender | MiB/s (median) | throughput / hand-written (median of rounds) | median's 95 % CI | p25-p75 | allocated B (median) | p25-p75 | min-max | bytes / hand-written (medians) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Print("upload", uploads.Select(u => u.Name).ToArray(), up, size);
        Print("download", downloads.Select(d => d.Name).ToArray(), down, size);
        return 0;
    }

    private static async Task<(string Result, double Seconds, long Bytes)> MeasureAsync(Func<Task<string>> run)
    {
        // A collection between transfers, so that one contender's garbage is not collected on another's time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var result = await run();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (result, seconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static void Print(string direction, string[] names, Samples[] samples, long size)
    {
        var baseline = samples[0];
        for (var i = 0; i < samples.Length; i++)
        {
            // Throughput ratio within a round: the hand-written time over the contender's.
            var ratios = baseline.Seconds.Zip(samples[i].Seconds, (b, s) => b / s).Order().ToArray();
            var bytes = samples[i].Bytes.Order().ToArray();
            var mibPerSecond = size / 1024.0 / 1024 / Interleaved.Median(samples[i].Seconds);
            Console.WriteLine($"| {direction} | {names[i]} | {mibPerSecond:F0} | {Interleaved.Median(ratios):F3} | {Interleaved.MedianInterval(ratios)} | " +
                $"{ratios[ratios.Length / 4]:F3}-{ratios[ratios.Length * 3 / 4]:F3} | {bytes[bytes.Length / 2]:N0} | {bytes[bytes.Length / 4]:N0}-{bytes[bytes.Length * 3 / 4]:N0} | {bytes[0]:N0}-{bytes[^1]:N0} | " +
                $"{(double)bytes[bytes.Length / 2] / baseline.Bytes.Order().ElementAt(baseline.Bytes.Count / 2):F3} |");
        }
    }

    private static void Trace(bool verbose, int round, string name, double seconds, long bytes)
    {
        if (verbose)
        {
            Console.WriteLine($"round {round}: {name} {seconds * 1000:F0} ms, {bytes:N0} B");
        }
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class Samples
    {
        public List<double> Seconds { get; } = [];

        public List<long> Bytes { get; } = [];

        public void Add(double seconds, long bytes)
        {
            Seconds.Add(seconds);
            Bytes.Add(bytes);
        }
    }

    /// <summary>What a user writes by hand with one HttpClient (X-API-Key as a default header), from CONTRACT.md.</summary>
    private sealed class HandStorage(HttpClient http, string projectId, string bucketId)
    {
        private readonly string _files = $"api/bucket/projects/{projectId}/buckets/{bucketId}/files";

        public async Task<string> UploadAsync(Stream source)
        {
            using var form = new MultipartFormDataContent();
            var part = new StreamContent(source);
            part.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
            // The part's header as the SDK writes it (MultipartFormDataContent.Add(part, name, fileName) would add filename* too).
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"files\"", FileName = "\"" + FileName + "\"" };
            form.Add(part);
            using var response = await http.PostAsync(_files, form);
            response.EnsureSuccessStatusCode();
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            return answer.RootElement.GetProperty("files")[0].GetProperty("id").GetString()!;
        }

        public async Task DownloadAsync(string fileId)
        {
            // A signed URL first, as the SDK does: the download route wants its token.
            using var body = new StringContent("{\"expiresIn\":300}", Encoding.UTF8, "application/json");
            using var signed = await http.PostAsync($"{_files}/{fileId}/signed-url", body);
            signed.EnsureSuccessStatusCode();
            string url;
            using (var answer = await JsonDocument.ParseAsync(await signed.Content.ReadAsStreamAsync()))
            {
                url = answer.RootElement.GetProperty("url").GetString()!;
            }

            await using var bytes = await http.GetStreamAsync(new Uri(http.BaseAddress!, url));
            await bytes.CopyToAsync(Stream.Null);
        }
    }

    /// <summary>
    /// <paramref name="length"/> bytes copied from one fixed pattern: no allocation per read, and about memcpy's cost, so
    /// the transfer is what is measured. Seekable or not (a pipe: no length, no position to set).
    /// </summary>
    private sealed class GeneratedStream(long length, bool seekable) : Stream
    {
        private static readonly byte[] Pattern = MakePattern();
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => seekable ? length : throw new NotSupportedException();

        /// <summary>Readable either way (the benchmark checks what was read); settable only when seekable.</summary>
        public override long Position
        {
            get => _position;
            set => _position = seekable ? value : throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            var filled = 0;
            while (filled < n)
            {
                var at = (int)((_position + filled) % Pattern.Length);
                var chunk = Math.Min(n - filled, Pattern.Length - at);
                Pattern.AsSpan(at, chunk).CopyTo(buffer[filled..]);
                filled += chunk;
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin) => seekable
            ? Position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset }
            : throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static byte[] MakePattern()
        {
            // 1 MiB of varied bytes (a prime-ish stride, so runs do not line up with the 64 KB chunks).
            var pattern = new byte[(1024 * 1024) + 7];
            new Random(42).NextBytes(pattern);
            return pattern;
        }
    }

    /// <summary>
    /// The storage routes in memory, answering as the emulator does (JSON as a stream, as a socket's; the bytes of a download
    /// generated as they are read): every transfer completes without waiting, so the bytes counted are exact and are the
    /// client's own, per chunk as well as per call. Reads each upload's body to the end, as a socket handler sends it.
    /// </summary>
    private sealed class MemoryStorage(long size) : HttpMessageHandler
    {
        public const string BucketId = "6863b2a0e129932fbb7a3001";
        private const string FileId = "6863b2a0e129932fbb7a4001";

        public static readonly Uri BaseUrl = new("https://storage.test/");

        private static readonly byte[] Uploaded = Encoding.UTF8.GetBytes(
            $$"""{"success":true,"files":[{"id":"{{FileId}}","originalName":"bench.bin","fileName":"{{FileId}}-bench.bin","size":104857600,"mimetype":"application/octet-stream","url":"https://storage.test/api/bucket/files/{{FileId}}/download","isPublic":false,"uploadedAt":"2025-07-11T10:00:00.000Z"}]}""");

        private static readonly byte[] Signed = Encoding.UTF8.GetBytes(
            $$"""{"success":true,"url":"https://storage.test/api/bucket/files/{{FileId}}/download?token=eyJhbGciOiJIUzI1NiJ9.eyJmIjoiNjg2M2IyYTBlMTI5OTMyZmJiN2E0MDAxIn0.c2lnbmF0dXJl","expiresAt":"2030-01-01T00:00:00.000Z","expiresIn":300}""");

        private static readonly byte[] Deleted = """{"message":"File deleted"}"""u8.ToArray();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } body)
            {
                await body.CopyToAsync(Stream.Null, cancellationToken);
            }

            var path = request.RequestUri!.AbsolutePath;
            var response = path switch
            {
                _ when request.Method == HttpMethod.Delete => Json(Deleted),
                _ when path.EndsWith("/signed-url", StringComparison.Ordinal) => Json(Signed),
                _ when path.EndsWith("/files", StringComparison.Ordinal) => Json(Uploaded, System.Net.HttpStatusCode.Created),
                _ when path.EndsWith("/download", StringComparison.Ordinal) => Bytes(),
                _ => new HttpResponseMessage(System.Net.HttpStatusCode.NotFound),
            };
            response.RequestMessage = request;
            return response;
        }

        private static HttpResponseMessage Json(byte[] json, System.Net.HttpStatusCode status = System.Net.HttpStatusCode.OK)
        {
            var response = new HttpResponseMessage(status) { Content = new StreamContent(new MemoryStream(json, writable: false)) };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            response.Content.Headers.ContentLength = json.Length;
            return response;
        }

        private HttpResponseMessage Bytes()
        {
            var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(new GeneratedStream(size, seekable: false)) };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", MediaType);
            response.Content.Headers.ContentLength = size;
            return response;
        }
    }

    /// <summary>Keeps the last report only: reports cost the SDK's side its own work, not a list.</summary>
    private sealed class LastProgress : IProgress<TransferProgress>
    {
        public TransferProgress Last { get; private set; }

        public void Report(TransferProgress value) => Last = value;
    }
}
