using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HealthGen.Checks.Ldap.Tests.Infrastructure;

/// <summary>A self-signed server certificate for 127.0.0.1, made in-process: no openssl needed.</summary>
internal static class TestCertificate
{
    /// <summary>Writes cert.pem and key.pem into <paramref name="directory"/> and the certificate alone into <paramref name="trustedDirectory"/>.</summary>
    public static (string Certificate, string Key) Write(string directory, string trustedDirectory)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=HealthGen test directory", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // Its own trust anchor, so it is a CA too.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());

        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));

        string certificatePath = Path.Combine(directory, "cert.pem");
        string keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        Directory.CreateDirectory(trustedDirectory);
        File.WriteAllText(Path.Combine(trustedDirectory, "test-directory-ca.pem"), certificate.ExportCertificatePem());
        return (certificatePath, keyPath);
    }
}
