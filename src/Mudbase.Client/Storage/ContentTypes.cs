namespace Mudbase.Storage;

/// <summary>
/// A file's media type from its extension, for uploads that do not name one: the types apps upload most, in a table
/// compiled into a switch (no registry, no reflection, the same answer on every OS). Anything else is sent as bytes.
/// </summary>
internal static class ContentTypes
{
    public const string Default = "application/octet-stream";

    public static string FromFileName(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot < 0 || dot == fileName.Length - 1)
        {
            return Default;
        }

        return fileName.Substring(dot + 1).ToUpperInvariant() switch
        {
            "JPG" or "JPEG" => "image/jpeg",
            "PNG" => "image/png",
            "GIF" => "image/gif",
            "WEBP" => "image/webp",
            "AVIF" => "image/avif",
            "HEIC" => "image/heic",
            "SVG" => "image/svg+xml",
            "ICO" => "image/x-icon",
            "BMP" => "image/bmp",
            "TIF" or "TIFF" => "image/tiff",
            "PDF" => "application/pdf",
            "JSON" => "application/json",
            "XML" => "application/xml",
            "ZIP" => "application/zip",
            "GZ" => "application/gzip",
            "TAR" => "application/x-tar",
            "7Z" => "application/x-7z-compressed",
            "DOC" => "application/msword",
            "DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "XLS" => "application/vnd.ms-excel",
            "XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "PPT" => "application/vnd.ms-powerpoint",
            "PPTX" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "TXT" or "LOG" => "text/plain",
            "CSV" => "text/csv",
            "MD" => "text/markdown",
            "HTM" or "HTML" => "text/html",
            "CSS" => "text/css",
            "JS" or "MJS" => "text/javascript",
            "MP3" => "audio/mpeg",
            "WAV" => "audio/wav",
            "OGG" => "audio/ogg",
            "M4A" => "audio/mp4",
            "MP4" => "video/mp4",
            "WEBM" => "video/webm",
            "MOV" => "video/quicktime",
            "WOFF" => "font/woff",
            "WOFF2" => "font/woff2",
            "TTF" => "font/ttf",
            _ => Default,
        };
    }
}
