-- Officers' work queues search the register by status (awaiting assessment, awaiting
-- information, suspended...), oldest first. Every status but active is a small part of the
-- register, so a partial index keeps those queues an index range scan at national scale,
-- and leaves the re-assessment of active applications (HOT updates) untouched.
CREATE INDEX applications_queues ON applications (status, submitted_at, id)
    WHERE status <> 'active';
