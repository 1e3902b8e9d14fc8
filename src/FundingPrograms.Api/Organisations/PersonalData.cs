using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FundingPrograms.Organisations;

/// <summary>A contact person as stored: encrypted with the person's own key. Erasure destroys the key, the ciphertext stays (and so does the audit chain).</summary>
public sealed record ProtectedContact(Guid SubjectId, string Sealed);

/// <summary>One key per data subject; deleting it makes that person's data unreadable everywhere (events, snapshots, backups of both).</summary>
public sealed class PersonalDataKey
{
    public Guid Id { get; set; }
    public string Key { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public static class PersonalDataVault
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Encrypts a contact person with a new key (AES-256-GCM), which the caller stores with the event.</summary>
    public static (ProtectedContact Contact, PersonalDataKey Key) Protect(ContactPerson person, DateTimeOffset now)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = JsonSerializer.SerializeToUtf8Bytes(person, Json);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(key, 16)) aes.Encrypt(nonce, plain, cipher, tag);
        var subject = Guid.CreateVersion7();
        return (new ProtectedContact(subject, "v1:" + Convert.ToBase64String([.. nonce, .. tag, .. cipher])),
            new PersonalDataKey { Id = subject, Key = Convert.ToBase64String(key), CreatedAt = now });
    }

    /// <summary>The contact person, or null when the key was destroyed (erased).</summary>
    public static ContactPerson? Reveal(ProtectedContact contact, IReadOnlyDictionary<Guid, PersonalDataKey> keys)
    {
        if (!keys.TryGetValue(contact.SubjectId, out var key) || !contact.Sealed.StartsWith("v1:", StringComparison.Ordinal)) return null;
        var bytes = Convert.FromBase64String(contact.Sealed[3..]);
        var plain = new byte[bytes.Length - 28];
        using var aes = new AesGcm(Convert.FromBase64String(key.Key), 16);
        aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
        return JsonSerializer.Deserialize<ContactPerson>(plain, Json);
    }

    public static async Task<IReadOnlyList<ContactPerson>> RevealAll(IQuerySession session, IEnumerable<ProtectedContact> contacts, CancellationToken ct)
    {
        var list = contacts.ToList();
        var keys = (await session.LoadManyAsync<PersonalDataKey>(ct, list.Select(c => c.SubjectId))).ToDictionary(k => k.Id);
        return list.Select(c => Reveal(c, keys) ?? Erased).ToList();
    }

    public static readonly ContactPerson Erased = new("[erased]", "[erased]", "[erased]", null);
}

public enum ErasureBasis { Request, RetentionEnded }

public sealed record PersonalDataErased(Guid OrganisationId, Guid[] SubjectIds, ErasureBasis Basis, string Reason, DateTimeOffset At) : IDomainEvent;
