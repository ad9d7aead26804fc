from .defaults import CostDefault
from .snapshots import DailyFigure, JointFigure, SnapshotRun
from .surveys import SurveyImport, SurveyResult

__all__ = ["CostDefault", "DailyFigure", "JointFigure", "SnapshotRun", "SurveyImport", "SurveyResult"]
