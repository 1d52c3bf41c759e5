using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using FlowNotebooks.Ingest;
using FlowNotebooks.Procedures;
using FlowNotebooks.Procedures.Athena;
using FlowNotebooks.Sources.Aws.Athena;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Athena;

/// <summary>A cited object fetched from S3 (s3rver) after an Athena run: hashed, and the cited rows numbered again as lines
/// of the object, when the rows Athena returned are a reordered part of it.</summary>
[Collection(S3rverCollection.Name)]
public sealed class AthenaCitedObjectsTests(S3rverFixture s3rver)
{
    const string Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    static string Record(int port, long start) =>
        $"2 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.5 198.51.100.7 {port} 443 6 10 5000 {start} {start + 60} ACCEPT OK";

    static byte[] Gzip(IEnumerable<string> lines)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal))
        using (var w = new StreamWriter(gz, new UTF8Encoding(false)) { NewLine = "\n" })
            foreach (var l in lines) w.WriteLine(l);
        return ms.ToArray();
    }

    [Fact]
    public async Task A_cited_object_is_fetched_and_hashed_and_each_returned_row_is_cited_at_its_line_in_the_object()
    {
        using var dir = new TempDir();
        // The object as delivered: header (line 1), then six records; the second and fifth are the same text.
        var r = new[] { Record(40001, 1763431200), Record(40002, 1763431260), Record(40003, 1763431320), Record(40004, 1763431380), Record(40002, 1763431260), Record(40006, 1763431500) };
        var bytes = Gzip([Header, .. r]);
        var key = $"cited-{Guid.NewGuid():N}/AWSLogs/123456789012/vpcflowlogs/eu-west-1/2025/11/18/123456789012_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20251118T0200Z_aa11bb22.log.gz";
        using (var s3 = s3rver.Client())
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = S3rverFixture.Bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false });
        var uri = $"s3://{S3rverFixture.Bucket}/{key}";

        // What Athena returned of it, as the case holds it: the rows r6, r5, r2, r4 in that order, and one row the object lacks.
        var stranger = Record(40099, 1763431560);
        var work = Path.Combine(dir.Path, "records");
        var local = Path.Combine(work, S3rverFixture.Bucket, Path.Combine(key.Split('/')));
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.WriteAllBytes(local, Gzip([Header, r[5], r[4], r[1], r[3], stranger]));
        using var store = CaseStore.Open();
        new EvidenceLoader(store).Load([work]);
        store.Execute("UPDATE evidence SET object = $1, sha256 = $2", uri, AthenaCase.NotFetched);
        var id = Convert.ToInt32(store.Query("SELECT evidence_id FROM evidence").Rows.Single()[0]);
        var finding = new Finding
        {
            Title = "t", Severity = Severity.High, Statement = "s",
            Evidence = [new EvidenceRef(id, uri, AthenaCase.NotFetched, [2, 3, 4, 5, 6])],
        };

        using var fetch = new AthenaObjectFetch(s3rver.Settings(dir));
        var kept = Path.Combine(dir.Path, "cited");
        var (findings, fetched, notes) = await AthenaCitedObjects.FetchAsync([finding], store, fetch, work, kept, CancellationToken.None);

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var cited = Assert.Single(Assert.Single(findings).Evidence);
        Assert.Equal(sha, cited.Sha256);
        // r6 is line 7; the first and second returned copies of the repeated text are its first and second lines (3, 6);
        // r4 is line 5; the stranger keeps its row number and is said not to be in the object.
        Assert.Equal([7L, 3, 6, 5, 6], cited.Lines);
        Assert.Contains(notes, n => n.Contains("row 6 is not a line of the object as fetched", StringComparison.Ordinal) && n.Contains(sha, StringComparison.Ordinal));
        var f = Assert.Single(fetched);
        Assert.Equal((uri, sha, (long)bytes.Length), (f.Uri, f.Sha256, f.Size));
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(kept, S3rverFixture.Bucket, Path.Combine(key.Split('/')))));
        var row = store.Query("SELECT sha256, size FROM evidence WHERE object = $1", [uri]).Rows.Single();
        Assert.Equal(sha, row[0]);
        Assert.Equal(bytes.Length, Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
