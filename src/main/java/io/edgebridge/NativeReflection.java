package io.edgebridge;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes that libraries load by name at run time, which a native executable only contains when registered.
 * Both Kafka producers compress with lz4: lz4-java picks its Java implementations and the xxhash checksums with
 * {@code loadClass(prefix + kind + suffix).getField("INSTANCE")}, and no Quarkus extension registers them.
 * {@code NativeBuildStepsIT} checks that every such class of the lz4-java jar is in the generated reflection config.
 */
@RegisterForReflection(
        fields = true,
        methods = false,
        classNames = {
            "net.jpountz.lz4.LZ4JavaUnsafeCompressor", "net.jpountz.lz4.LZ4JavaSafeCompressor",
            "net.jpountz.lz4.LZ4HCJavaUnsafeCompressor", "net.jpountz.lz4.LZ4HCJavaSafeCompressor",
            "net.jpountz.lz4.LZ4JavaUnsafeFastDecompressor", "net.jpountz.lz4.LZ4JavaSafeFastDecompressor",
            "net.jpountz.lz4.LZ4JavaUnsafeSafeDecompressor", "net.jpountz.lz4.LZ4JavaSafeSafeDecompressor",
            "net.jpountz.xxhash.XXHash32JavaUnsafe", "net.jpountz.xxhash.XXHash32JavaSafe",
            "net.jpountz.xxhash.XXHash64JavaUnsafe", "net.jpountz.xxhash.XXHash64JavaSafe",
            "net.jpountz.xxhash.StreamingXXHash32JavaUnsafe$Factory",
                    "net.jpountz.xxhash.StreamingXXHash32JavaSafe$Factory",
            "net.jpountz.xxhash.StreamingXXHash64JavaUnsafe$Factory",
                    "net.jpountz.xxhash.StreamingXXHash64JavaSafe$Factory",
        })
public final class NativeReflection {

    private NativeReflection() {}
}
