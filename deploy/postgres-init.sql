CREATE DATABASE school_documents OWNER school;
CREATE DATABASE school_notifications OWNER school;
CREATE DATABASE school_planning OWNER school;
