import { useQuery } from '@apollo/client';
import { graphql } from '../gql';

export const AnalyticsDashboardQuery = graphql(/* GraphQL */ `
  query GetAnalyticsDashboard($childId: String!, $days: Int = 30) {
    getAnalyticsDashboard(childId: $childId, days: $days) {
      childId
      totalChanges
      averageChangesPerDay
      predictedRunOutDate
      sizeRecommendations {
        size
        confidence
      }
    }
  }
`);

export function useAnalytics(childId: string, days = 30) {
  return useQuery(AnalyticsDashboardQuery, { variables: { childId, days } });
}
