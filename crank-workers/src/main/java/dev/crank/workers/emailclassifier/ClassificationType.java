package dev.crank.workers.emailclassifier;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The classification types of {@code classify:email_intent}, in their default order. */
enum ClassificationType {
    SPAM_DETECTION("spam_detection"),
    INTENT("intent"),
    SENTIMENT("sentiment"),
    PRIORITY("priority"),
    LANGUAGE("language");

    private final String wireName;

    ClassificationType(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static Optional<ClassificationType> of(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }

    static List<String> wireNames() {
        return Arrays.stream(values()).map(ClassificationType::wireName).toList();
    }
}
