"""Exams (изпити): term-grade and correction exams with their commissions, results, outcomes and protocols."""
