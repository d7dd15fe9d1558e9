package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * crank-core brings BoringSSL for every supported platform (linux-x86_64, linux-aarch_64, osx-x86_64,
 * osx-aarch_64) and epoll for both Linux ones; Transport picks NIO where epoll does not exist.
 */
class PlatformNativesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "META-INF/native/libnetty_tcnative_linux_x86_64.so",
        "META-INF/native/libnetty_tcnative_linux_aarch_64.so",
        "META-INF/native/libnetty_tcnative_osx_x86_64.jnilib",
        "META-INF/native/libnetty_tcnative_osx_aarch_64.jnilib",
        "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
        "META-INF/native/libnetty_transport_native_epoll_aarch_64.so"})
    void nativeLibraryIsOnTheClasspath(String resource) {
        assertThat(PlatformNativesTest.class.getClassLoader().getResource(resource)).as(resource).isNotNull();
    }
}
