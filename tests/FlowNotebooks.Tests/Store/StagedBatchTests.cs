using System.Text;
using FlowNotebooks.Formats;
using FlowNotebooks.Parsing;
using FlowNotebooks.Store;

namespace FlowNotebooks.Tests.Store;

/// <summary>
/// A staged batch's texts are looked up by code in the lane's dictionary list: a dictionary table that is not exactly
/// the codes 1..n of the parser's dictionary would put texts on the wrong records or none, so the insert refuses it.
/// </summary>
public sealed class StagedBatchTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("flownb-staged-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    (CaseWriter Writer, ColumnBatch Batch, TextDictionary Dictionary, CaseStore Store) OneRecord()
    {
        var store = CaseStore.Open();
        var parser = new FlowRecordParser();
        var batch = new ColumnBatch(FlowLogFormat.Default, capacity: 4);
        Assert.True(parser.TryAppend("2 123456789010 eni-0a 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK"u8, batch, out _));
        batch.Count++;
        return (new CaseWriter(store.NewConnection(), dir), batch, parser.Dictionary, store);
    }

    [Fact]
    public void Texts_come_back_on_their_records()
    {
        var (writer, batch, dictionary, store) = OneRecord();
        using (store)
        using (writer)
        {
            writer.Write(batch, dictionary);
            writer.Commit([]);
            var table = writer.TableFor(batch);
            var row = store.Query($"SELECT account_id, interface_id, srcaddr, dstaddr, action, log_status FROM {table}").Rows.Single();
            Assert.Equal<object?>(["123456789010", "eni-0a", "10.0.0.1", "10.0.0.2", "ACCEPT", "OK"], row);
        }
    }

    [Theory]
    [InlineData("2")]
    [InlineData("(SELECT max(code) FROM fnb_dict_entries)")]
    public void A_dictionary_with_a_missing_code_stops_the_insert(string code)
    {
        var (writer, batch, dictionary, store) = OneRecord();
        using (store)
        using (writer)
        {
            writer.Write(batch, dictionary);
            // Code 2 lost: every text after it would move one code down onto the wrong records. The last code lost: its
            // text would be NULL on every record that has it.
            writer.Execute($"DELETE FROM fnb_dict_entries WHERE code = {code}");
            var ex = Assert.ThrowsAny<Exception>(() => writer.Write(batch, dictionary));
            Assert.Contains("not the codes 1..n", ex.Message);
        }
    }
}
