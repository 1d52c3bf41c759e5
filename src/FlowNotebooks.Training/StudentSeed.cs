using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FlowNotebooks.Training;

/// <summary>
/// A student's scenario seed, from the exercise, the student id and the trainer's optional class secret: the same
/// roster gives the same cases on every run, two students get different ones. Without a secret a student who reads
/// this code could derive their seed and generate their own answer key; <c>--secret</c> prevents that.
/// </summary>
public static class StudentSeed
{
    public static int For(string exercise, string studentId, string? secret = null)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"flownb-training\n{exercise}\n{secret ?? ""}\n{studentId.ToLowerInvariant()}"));
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) & 0x7FFF_FFFF);
    }
}
