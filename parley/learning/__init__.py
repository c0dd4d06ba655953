"""A learner's own records: lesson progress, quiz attempts, status and mastery."""
